import test from 'ava';
import { assign, createActor, fromPromise, not, setup, type AnyStateMachine, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { activeStateIds, machineGraph, transitionEdgeIds, type DiagramEdge } from '../../inspector/machine-graph.js';
import { sessionMachine } from '../../machines/session-machine.js';
import { symbolMachine } from '../../machines/symbol-machine.js';

/** A small machine with every construct the diagram must show: nesting, always, after, invoke done/error, final, targetless, inline. */
const player = setup({
  types: { context: {} as { tries: number }, events: {} as { type: 'PLAY' } | { type: 'STOP' } | { type: 'PING' } | { type: 'EJECT' } },
  actors: { fetchTrack: fromPromise(async () => 'track') },
  guards: { gaveUp: ({ context }) => context.tries > 2, ready: () => true },
  actions: { countTry: assign({ tries: ({ context }) => context.tries + 1 }), log: () => undefined },
  delays: { retryDelay: 100 },
}).createMachine({
  id: 'player',
  context: { tries: 0 },
  initial: 'idle',
  on: { EJECT: '.ejected' },
  states: {
    idle: { on: { PLAY: 'active' } },
    active: {
      initial: 'loading',
      entry: 'log',
      exit: ['log', () => undefined],
      on: { STOP: { target: 'idle', actions: 'log' }, PING: { actions: ['countTry', function ping() {}] } },
      states: {
        loading: {
          invoke: { src: 'fetchTrack', onDone: { target: 'playing', actions: 'log' }, onError: 'retrying' },
        },
        retrying: {
          always: { guard: 'gaveUp', target: '#player.ejected' },
          after: { retryDelay: { target: 'loading', actions: 'countTry' }, 5000: { target: '#player.idle', guard: not('ready') } },
        },
        playing: {
          initial: 'normal',
          states: { normal: {}, finished: { type: 'final' } },
          onDone: 'loading',
        },
      },
    },
    ejected: { type: 'final' },
  },
});

const edge = (edges: DiagramEdge[], source: string, label: string) => {
  const found = edges.filter((e) => e.source === source && e.label === label);
  if (found.length !== 1) throw new Error(`expected one edge ${source} "${label}", found ${found.length}: ${edges.filter((e) => e.source === source).map((e) => e.label).join(' | ')}`);
  return found[0]!;
};

test('nodes carry the nesting, initial and final states, and invoked actors', (t) => {
  const { machineId, nodes } = machineGraph(player);
  t.is(machineId, 'player');
  t.deepEqual(
    nodes.map((n) => [n.id, n.parent, n.initial, n.final]),
    [
      ['player', null, false, false],
      ['player.idle', 'player', true, false],
      ['player.active', 'player', false, false],
      ['player.active.loading', 'player.active', true, false],
      ['player.active.retrying', 'player.active', false, false],
      ['player.active.playing', 'player.active', false, false],
      ['player.active.playing.normal', 'player.active.playing', true, false],
      ['player.active.playing.finished', 'player.active.playing', false, true],
      ['player.ejected', 'player', false, true],
    ],
  );
  const byId = new Map(nodes.map((n) => [n.id, n]));
  t.deepEqual(byId.get('player.active.loading')!.invokes, ['fetchTrack']);
  t.is(byId.get('player.active.playing')!.key, 'playing');
  t.deepEqual(byId.get('player.active')!.entry, ['log']);
  t.deepEqual(byId.get('player.active')!.exit, ['log', '(inline)'], 'an inline action is shown, not dropped');
  t.deepEqual(byId.get('player.active.retrying')!.entry, [], "after's own timer actions are not listed as the state's");
  t.deepEqual(byId.get('player.active.retrying')!.exit, []);
});

test('edges name always, after, done, error and guards readably', (t) => {
  const { edges } = machineGraph(player);
  t.like(edge(edges, 'player.idle', 'PLAY'), { target: 'player.active', actions: [], targetless: false });
  t.like(edge(edges, 'player.active.retrying', 'always [gaveUp]'), { event: 'always', guard: 'gaveUp', target: 'player.ejected' });
  t.like(edge(edges, 'player.active.retrying', 'after retryDelay'), { target: 'player.active.loading', actions: ['countTry'] });
  t.like(edge(edges, 'player.active.retrying', 'after 5000ms [not(ready)]'), { target: 'player.idle', guard: 'not(ready)' });
  t.like(edge(edges, 'player.active.loading', 'done: fetchTrack'), { target: 'player.active.playing', actions: ['log'] });
  t.like(edge(edges, 'player.active.loading', 'error: fetchTrack'), { target: 'player.active.retrying' });
  t.like(edge(edges, 'player.active.playing', 'done: playing'), { target: 'player.active.loading' });
  t.like(edge(edges, 'player.active', 'STOP'), { target: 'player.idle', actions: ['log'] });
  t.like(edge(edges, 'player', 'EJECT'), { target: 'player.ejected' }, 'a machine-level transition starts at the machine');
  t.like(edge(edges, 'player.active', 'PING'), { target: 'player.active', targetless: true, actions: ['countTry', 'ping'] });
  t.is(new Set(edges.map((e) => e.id)).size, edges.length, 'edge ids are unique');
});

/** Every transition of the machine, walked independently of the code under test. */
function allTransitions(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? []), ...Object.values(node.states).flatMap((child) => allTransitions(child))];
}

for (const [name, machine] of [['session', sessionMachine], ['symbol', symbolMachine], ['test player', player]] as Array<[string, AnyStateMachine]>) {
  test(`every transition of the ${name} machine is an edge, found again from the transition object`, (t) => {
    const { edges, nodes } = machineGraph(machine);
    const byId = new Map(edges.map((e) => [e.id, e]));
    const transitions = allTransitions(machine.root);
    t.true(transitions.length > 0);
    let expected = 0;
    for (const transition of transitions) {
      const ids = transitionEdgeIds(transition);
      const targets = transition.target?.map((target) => target.id) ?? [transition.source.id];
      expected += targets.length;
      t.deepEqual(ids.map((id) => byId.get(id)?.target), targets, `${transition.source.id} ${transition.eventType || 'always'}`);
      for (const id of ids) t.is(byId.get(id)!.source, transition.source.id);
    }
    t.is(edges.length, expected, 'no edge stands for nothing');
    const nodeIds = new Set(nodes.map((n) => n.id));
    t.true(edges.every((e) => nodeIds.has(e.source) && nodeIds.has(e.target)));
    t.true(edges.every((e) => !e.label.includes('xstate.') && e.label !== ''), 'no raw xstate event names in labels');
  });
}

test('the session machine reads as the design says: deactivated is left only through reactivating', (t) => {
  const { edges } = machineGraph(sessionMachine);
  const inside = (id: string) => id.startsWith('session.running.deactivated');
  const leaving = edges.filter((e) => inside(e.source) && !inside(e.target));
  t.deepEqual(leaving.map((e) => e.label).sort(), ['STOP', 'done: catchUp', 'error: catchUp']);
  t.true(leaving.every((e) => e.target === 'session.running.reactivating'), leaving.map((e) => `${e.source} ${e.label} → ${e.target}`).join('\n'));
  t.truthy(edges.find((e) => e.label === 'after loadTimeout' && e.target === 'session.running.deactivated.catchingUp'));
  t.truthy(edges.find((e) => e.label === 'always [batchSettled]'));
  t.truthy(edges.find((e) => e.label === 'done: catchUp' && e.actions.includes('confirmCaughtUp')));
  t.truthy(edges.find((e) => e.label === 'error: catchUp' && e.actions.includes('failCatchUp')));
});

test('active state ids follow the state value, the machine included', (t) => {
  t.deepEqual(activeStateIds('session', 'idle'), ['session', 'session.idle']);
  t.deepEqual(activeStateIds('session', { running: { deactivated: 'paused' } }), [
    'session',
    'session.running',
    'session.running.deactivated',
    'session.running.deactivated.paused',
  ]);
  const actor = createActor(player).start();
  actor.send({ type: 'PLAY' });
  const ids = activeStateIds('player', actor.getSnapshot().value);
  const nodeIds = new Set(machineGraph(player).nodes.map((n) => n.id));
  t.deepEqual(ids, ['player', 'player.active', 'player.active.loading']);
  t.true(ids.every((id) => nodeIds.has(id)));
  actor.stop();
});
