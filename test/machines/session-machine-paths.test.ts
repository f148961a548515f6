import test from 'ava';
import { createActor, fromPromise, waitFor, type AnyStateNode, type AnyTransitionDefinition, type InspectionEvent } from 'xstate';
import { BacktestDataEngine } from '../../data-plane/backtest-data-engine.js';
import { BarNotifier } from '../../data-plane/bar-notifier.js';
import { createSessionData } from '../../data-plane/session-data.js';
import { sessionMachine, type RequestInbox, type SessionPlan } from '../../machines/session-machine.js';
import { backtestSymbolMachine } from '../../machines/backtest-symbol-machine.js';
import { symbolMachine } from '../../machines/symbol-machine.js';
import { fullDay } from '../support/day-data.js';
import { DATE, shortCalendar } from '../support/session-harness.js';
import { ScriptedStore } from '../support/scripted-store.js';

// Every transition of the session machine and of the symbol machine — event, always, after,
// invoke done/error — must be taken by at least one of the scenarios below, driven through the
// real machines and data plane.

function allTransitions(node: AnyStateNode): AnyTransitionDefinition[] {
  const own = [...node.transitions.values()].flat();
  const always = node.always ?? [];
  return [...own, ...always, ...Object.values(node.states).flatMap((child) => allTransitions(child))];
}

function describe(transition: AnyTransitionDefinition): string {
  const targets = transition.target?.map((t) => t.id).join(',') ?? '(self)';
  return `${transition.source.id} --${transition.eventType || 'always'}--> ${targets}`;
}

// Keyed by description: `provide` copies the machine, so its transition objects differ.
const taken = new Set<string>();
const takenBySymbols = new Set<string>();

function start(options: { loadTimeoutMs?: number; failCatchUp?: boolean; maxBatchMinutes?: number } = {}) {
  const calendar = shortCalendar(30);
  const session = calendar.session(DATE)!;
  const store = new ScriptedStore({ AAPL: fullDay(session), TSLA: fullDay(session), NVDA: fullDay(session) });
  const writer = createSessionData();
  const window = { open: session.open, close: session.close };
  const notifier = new BarNotifier(() => undefined);
  const engine = new BacktestDataEngine(window, session.open, writer, notifier);
  const plan: SessionPlan = {
    date: DATE,
    window,
    alignTo: session.open,
    query: window,
    store,
    speed: 'manual',
    maxBatchMinutes: options.maxBatchMinutes ?? 30,
    loadTimeoutMs: options.loadTimeoutMs ?? 30_000,
    configured: [{ symbol: 'AAPL', streams: ['1m'] }],
  };
  const machine = options.failCatchUp
    ? sessionMachine.provide({ actors: { catchUp: fromPromise(async () => Promise.reject(new Error('catch-up broke'))) } })
    : sessionMachine;
  const inspect = (event: InspectionEvent) => {
    if (event.type !== '@xstate.microstep') return;
    const into = event.actorRef === actor ? taken : (event.actorRef as { logic?: unknown }).logic === backtestSymbolMachine ? takenBySymbols : undefined;
    for (const t of event._transitions) into?.add(describe(t));
  };
  const requests: RequestInbox = { waiting: 0 };
  const actor = createActor(machine, { input: { engine, plan, requests }, inspect });
  actor.start();
  const leaf = () => JSON.stringify(actor.getSnapshot().value);
  const until = (fragment: string) => waitFor(actor, () => leaf().includes(fragment), { timeout: 2_000 });
  return { actor, store, engine, notifier, leaf, until, requests, plan };
}

/** The plan of the Monday after DATE (a Friday), with `configured`. */
function nextDayPlan(plan: SessionPlan, configured: SessionPlan['configured']): SessionPlan {
  const shift = 3 * 24 * 3_600_000;
  const window = { open: plan.window.open + shift, close: plan.window.close + shift };
  return { ...plan, date: '2024-03-11', window, alignTo: plan.alignTo + shift, query: { open: plan.query.open + shift, close: plan.query.close + shift }, configured };
}

/** What `session.advance` does: clear the clock `minutes` ahead, then tick until it stops moving there. */
function step(actor: ReturnType<typeof start>['actor'], minutes: number) {
  actor.send({ type: 'ADVANCE', minutes });
  for (let i = 0; i <= minutes; i++) actor.send({ type: 'TICK' });
}

test.serial('a day: start, adds (one arriving mid-pause), removals, run to the close', async (t) => {
  const { actor, store, leaf, until } = start();
  actor.send({ type: 'START' });
  await until('streaming');
  step(actor, 5);
  store.script('TSLA', { kind: 'gate' });
  actor.send({ type: 'ADD_SYMBOL', symbol: 'TSLA', streams: ['1m'], wallTime: 0 });
  step(actor, 1);
  t.true(leaf().includes('paused'));
  actor.send({ type: 'ADD_SYMBOL', symbol: 'NVDA', streams: ['1m'], wallTime: 0 });
  actor.send({ type: 'ADD_SYMBOL', symbol: 'GHOST', streams: ['1m'], wallTime: 0 });
  store.release('TSLA');
  await until('streaming');
  t.is(actor.getSnapshot().context.pauses.length, 3, 'the add made during the pause got a pause of its own');
  actor.send({ type: 'REMOVE_SYMBOL', symbol: 'TSLA', immediate: false });
  actor.send({ type: 'REMOVE_SYMBOL', symbol: 'NVDA', immediate: true });
  step(actor, 30);
  await until('closed');
  t.is(leaf(), '"closed"');
});

test.serial('a clock step covers at most maxBatchMinutes while a listener could see its bars, and all the minutes cleared while none can', async (t) => {
  const { actor, engine, notifier, until, plan } = start({ maxBatchMinutes: 5 });
  actor.send({ type: 'START' });
  await until('streaming');
  const minutesIn = () => (engine.clock.now() - plan.window.open) / 60_000;
  const unsubscribe = notifier.subscribeAt(() => undefined);
  actor.send({ type: 'ADVANCE', minutes: 12 });
  actor.send({ type: 'TICK' });
  t.is(minutesIn(), 5, 'observed: one step of maxBatchMinutes');
  unsubscribe();
  actor.send({ type: 'TICK' });
  t.is(minutesIn(), 12, 'unobserved: the rest of the cleared minutes in one step');
  t.is(engine.stats('AAPL')?.streamed['1m'], 12, 'and every bar of them written');
});

test.serial('a request made at the close: the session waits for it, and an add is caught up before closing', async (t) => {
  const { actor, engine, leaf, until, requests } = start();
  actor.send({ type: 'START' });
  await until('streaming');
  requests.waiting = 1; // as a bar listener's request at the last minute leaves it
  step(actor, 30);
  t.true(engine.atClose);
  t.is(leaf(), '{"running":"streaming"}');
  actor.send({ type: 'ADD_SYMBOL', symbol: 'TSLA', streams: ['1m'], wallTime: 0 });
  await until('closed');
  t.is(actor.getSnapshot().context.symbols.TSLA?.ref.getSnapshot().value, 'active');
});

test.serial('stop before start, and stop while streaming', async (t) => {
  const idle = start();
  idle.actor.send({ type: 'STOP' });
  t.is(idle.leaf(), '"closed"');
  const streaming = start();
  streaming.actor.send({ type: 'START' });
  await streaming.until('streaming');
  streaming.actor.send({ type: 'STOP' });
  t.is(streaming.leaf(), '"closed"');
});

test.serial('a load past its timeout, and a stop while deactivated', async (t) => {
  const { actor, store, until, leaf } = start({ loadTimeoutMs: 10 });
  actor.send({ type: 'START' });
  await until('streaming');
  store.script('TSLA', { kind: 'hang' });
  actor.send({ type: 'ADD_SYMBOL', symbol: 'TSLA', streams: ['1m'], wallTime: 0 });
  step(actor, 1);
  await until('streaming');
  t.is(actor.getSnapshot().context.symbols.TSLA?.ref.getSnapshot().value, 'failed');
  store.script('NVDA', { kind: 'hang' });
  actor.send({ type: 'ADD_SYMBOL', symbol: 'NVDA', streams: ['1m'], wallTime: 0 });
  step(actor, 1);
  t.true(leaf().includes('paused'));
  actor.send({ type: 'STOP' });
  t.is(leaf(), '"closed"');
});

test.serial('a change of speed before the start and while streaming, and a step held at a scheduled minute', async (t) => {
  const { actor, engine, until, requests } = start();
  actor.send({ type: 'SET_SPEED', speed: 'max' });
  t.is(actor.getSnapshot().context.clearedTo, engine.window.close, "'max' clears the clock to the close");
  const open = engine.clock.now();
  requests.holdAt = open + 7 * 60_000;
  actor.send({ type: 'START' });
  await waitFor(actor, () => engine.clock.now() >= open + 7 * 60_000, { timeout: 2_000 });
  t.is(engine.clock.now(), open + 7 * 60_000, 'the step ended at the minute held');
  actor.send({ type: 'SET_SPEED', speed: 'manual' });
  t.is(actor.getSnapshot().context.clearedTo, open + 7 * 60_000, 'a paced clock is cleared to where it stands');
  await until('streaming');
  delete requests.holdAt;
  step(actor, 3);
  t.is(engine.clock.now(), open + 10 * 60_000, 'by hand from there');
  actor.send({ type: 'STOP' });
});

test.serial('a catch-up that fails still reactivates', async (t) => {
  const { actor, until, engine } = start({ failCatchUp: true });
  actor.send({ type: 'START' });
  await until('streaming');
  t.false(engine.deactivated);
  t.is(actor.getSnapshot().context.symbols.AAPL?.ref.getSnapshot().value, 'failed');
});

test.serial('next days: carried symbols reload together, a new one loads, a reload that fails or hangs fails the carried ones', async (t) => {
  const { actor, store, until, plan } = start({ loadTimeoutMs: 50 });
  const monday = nextDayPlan(plan, [{ symbol: 'AAPL', streams: ['1m'] }, { symbol: 'TSLA', streams: ['1m'] }]);
  for (const symbol of ['AAPL', 'TSLA']) await store.putBars(symbol, '1m', fullDay(calendarDay(monday)));
  actor.send({ type: 'START' });
  await until('streaming');
  step(actor, 30);
  await until('closed');
  const aapl = actor.getSnapshot().context.symbols.AAPL!.ref;
  actor.send({ type: 'NEXT_DAY', plan: monday });
  await until('streaming');
  t.is(actor.getSnapshot().context.symbols.AAPL!.ref, aapl, 'AAPL kept its actor');
  t.deepEqual(Object.values(actor.getSnapshot().context.symbols).map((e) => e.ref.getSnapshot().value), ['active', 'active']);
  step(actor, 30);
  await until('closed');
  store.script('AAPL', { kind: 'hang' });
  actor.send({ type: 'NEXT_DAY', plan: { ...monday, configured: [{ symbol: 'AAPL', streams: ['1m'] }] } });
  await until('streaming');
  t.is(actor.getSnapshot().context.symbols.AAPL!.ref.getSnapshot().value, 'failed', 'a reload past its timeout');
  t.is(actor.getSnapshot().context.symbols.TSLA, undefined, 'a symbol not in the plan left');

  const broken = start();
  broken.actor.send({ type: 'START' });
  await broken.until('streaming');
  step(broken.actor, 30);
  await broken.until('closed');
  broken.store.script('AAPL', { kind: 'reject', message: 'reload broke' });
  broken.actor.send({ type: 'NEXT_DAY', plan: nextDayPlan(broken.plan, [{ symbol: 'AAPL', streams: ['1m'] }]) });
  await broken.until('streaming');
  const failed = broken.actor.getSnapshot().context.symbols.AAPL!.ref.getSnapshot();
  t.is(failed.value, 'failed');
  t.like(failed.context.error, { code: 'LOAD_FAILED' });
  t.regex(failed.context.error!.message, /reload broke/);
});

// xstate copies a machine's children map whenever a child is spawned or stopped, as the clock,
// the loader and the catch-up are several times a day: the symbols, hundreds of them, are kept
// out of it, and must still be the session's — in its system, stopped when they leave.
test.serial("the symbols are the session's actors, in its system, stopped when they leave, and not in its children map", async (t) => {
  const { actor, store, until, plan } = start();
  const monday = nextDayPlan(plan, [{ symbol: 'TSLA', streams: ['1m'] }]);
  await store.putBars('TSLA', '1m', fullDay(calendarDay(monday)));
  actor.send({ type: 'START' });
  await until('streaming');
  actor.send({ type: 'ADD_SYMBOL', symbol: 'TSLA', streams: ['1m'], wallTime: 0 });
  step(actor, 1);
  await until('streaming');
  step(actor, 30);
  await until('closed');
  const { symbols } = actor.getSnapshot().context;
  t.deepEqual(Object.keys(symbols), ['AAPL', 'TSLA']);
  for (const { ref } of Object.values(symbols)) {
    t.is(ref._parent, actor);
    t.is(ref.system, actor.system);
  }
  t.deepEqual(Object.keys(actor.getSnapshot().children), []);
  const aapl = symbols.AAPL!.ref;
  actor.send({ type: 'NEXT_DAY', plan: monday });
  await until('streaming');
  t.is(aapl.getSnapshot().status, 'stopped', 'AAPL, not in the new plan, was stopped');
  t.is(actor.getSnapshot().context.symbols.TSLA!.ref.getSnapshot().value, 'active');
  t.deepEqual(Object.values(actor.getSnapshot().children).map((child) => child?.src), ['clock'], 'only the clock streaming');
});

function calendarDay(plan: SessionPlan) {
  return { date: plan.date, open: plan.window.open, close: plan.window.close, early: false, extendedOpen: plan.window.open, extendedClose: plan.window.close };
}

test.serial('every transition of the session machine was taken', (t) => {
  const missing = allTransitions(sessionMachine.root).filter((transition) => !taken.has(describe(transition)));
  t.deepEqual(missing.map(describe), []);
  t.is(taken.size, allTransitions(sessionMachine.root).length);
});

// The symbol chart is shared with live sessions; these are the transitions only a feed takes
// (a reconnect's gap fill, a load that writes its own history).
const LIVE_ONLY = new Set([
  'symbol --GAP--> (self)',
  'symbol.loading --xstate.done.actor.load--> symbol.active',
  'symbol.loading --xstate.error.actor.load--> symbol.failed',
  'symbol.catchingUp --GAP--> (self)',
  'symbol.catchingUp --DRAIN--> symbol.draining',
  'symbol.catchingUp --xstate.done.actor.catchUp--> symbol.active',
  'symbol.catchingUp --xstate.error.actor.catchUp--> symbol.active',
  'symbol.active --GAP--> symbol.catchingUp',
  'symbol.active --always--> symbol.catchingUp',
]);

test.serial('every transition of the symbol machine was taken', (t) => {
  const backtest = allTransitions(symbolMachine.root).filter((transition) => !LIVE_ONLY.has(describe(transition)));
  const missing = backtest.filter((transition) => !takenBySymbols.has(describe(transition)));
  t.deepEqual(missing.map(describe), []);
  t.is(takenBySymbols.size, backtest.length);
});
