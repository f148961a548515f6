import test from 'ava';
import { setup } from 'xstate';
import type { Box } from '../../inspector/graph-layout.js';
import { machineDiagram } from '../../inspector/machine-diagram.js';
import { sessionMachine } from '../../machines/session-machine.js';

const nested = setup({}).createMachine({
  id: 'door',
  initial: 'closed',
  states: {
    closed: {
      initial: 'locked',
      on: { OPEN: { target: 'opened', guard: 'unlocked' as never } },
      states: {
        locked: { on: { UNLOCK: 'unlocked' } },
        unlocked: { on: { LOCK: 'locked' }, after: { 1000: 'locked' } },
      },
    },
    opened: { on: { CLOSE: 'closed', 'SLAM & "BREAK" <now>': 'broken' } },
    broken: { type: 'final' },
  },
});

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

test('children are laid out inside their parent state, and siblings do not overlap', async (t) => {
  for (const machine of [nested, sessionMachine]) {
    const { layout } = await machineDiagram(machine);
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    for (const node of layout.nodes) {
      t.true(node.width > 0 && node.height > 0, node.id);
      if (node.parent !== null) t.true(inside(node, byId.get(node.parent)!), `${node.id} inside ${node.parent}`);
      for (const sibling of layout.nodes) {
        if (sibling === node || sibling.parent !== node.parent) continue;
        const apart = node.x + node.width <= sibling.x || sibling.x + sibling.width <= node.x || node.y + node.height <= sibling.y || sibling.y + sibling.height <= node.y;
        t.true(apart, `${node.id} and ${sibling.id} overlap`);
      }
    }
    t.true(layout.nodes.every((n) => n.x + n.width <= layout.width && n.y + n.height <= layout.height));
  }
});

test('every transition between states is routed with a label; targetless ones are lines in their state', async (t) => {
  const { graph, layout } = await machineDiagram(sessionMachine);
  const routed = graph.edges.filter((e) => !e.targetless);
  t.deepEqual(layout.edges.map((e) => e.id).sort(), routed.map((e) => e.id).sort());
  for (const edge of layout.edges) {
    t.true(edge.points.length >= 2, edge.id);
    t.true(edge.labelBox.width > 0, edge.id);
    t.is(edge.labelLines[0], edge.label);
  }
  const streaming = layout.nodes.find((n) => n.id === 'session.running.streaming')!;
  t.deepEqual(
    streaming.lines.map((l) => l.text),
    ['invoke clock', 'TICK / advanceClock, completeDrains'],
  );
  t.true(streaming.lines.slice(1).every((l) => l.edge === 'session.running.streaming#1'));
});

test('the SVG has a group per state and per transition, with the ids the page toggles', async (t) => {
  const { graph, svg } = await machineDiagram(nested);
  t.true(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" class="statechart" data-machine="door"'));
  for (const node of graph.nodes) t.true(svg.includes(`data-state="${node.id}"`), node.id);
  for (const edge of graph.edges) t.true(svg.includes(`data-edge="${edge.id}"`), edge.id);
  t.regex(svg, /<g class="state initial" data-state="door.closed.locked">/);
  t.regex(svg, /<g class="state final" data-state="door.broken">[^]*?class="state-final"/);
  t.regex(svg, /class="state compound initial" data-state="door.closed"/);
  t.true(svg.includes('>OPEN [unlocked]</tspan>'));
  t.true(svg.includes('>after 1000ms</tspan>'));
  t.true(svg.includes('SLAM &amp; &quot;BREAK&quot; &lt;now&gt;'), 'event names are escaped');
  t.false(svg.includes('<now>'));
  t.is(svg.match(/<g /g)!.length, svg.match(/<\/g>/g)!.length);
});

test('a machine is laid out once', async (t) => {
  const first = machineDiagram(sessionMachine);
  t.is(machineDiagram(sessionMachine), first);
  t.is((await first).svg, (await machineDiagram(sessionMachine)).svg);
});
