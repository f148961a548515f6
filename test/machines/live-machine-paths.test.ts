import test from 'ava';
import type { AnyStateNode, AnyTransitionDefinition, InspectionEvent } from 'xstate';
import { createSession, silentLogger, type LiveSession } from 'tapedeck';
import { AlpacaFeed } from '../../feeds/alpaca/alpaca-feed.js';
import { ReplayFeed } from '../../feeds/replay-feed.js';
import { liveSessionMachine } from '../../machines/live-session-machine.js';
import { liveSymbolMachine } from '../../machines/live-symbol-machine.js';
import { FakeAlpacaServer } from '../support/fake-alpaca-server.js';
import { calendar, dayOf, fastClock, storeWith, today } from '../support/live-fixture.js';

// Every transition of the live session machine and of the live symbol machine must be taken
// by one of these scenarios, run through real sessions on the replay feed and the fake Alpaca.

function allTransitions(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? []), ...Object.values(node.states).flatMap(allTransitions)];
}

function describe(transition: AnyTransitionDefinition): string {
  return `${transition.source.id} --${transition.eventType || 'always'}--> ${transition.target?.map((t) => t.id).join(',') ?? '(self)'}`;
}

const taken = { session: new Set<string>(), symbol: new Set<string>() };
const inspect = (event: InspectionEvent) => {
  if (event.type !== '@xstate.microstep') return;
  const logic = (event.actorRef as { logic?: unknown }).logic;
  const into = logic === liveSessionMachine ? taken.session : logic === liveSymbolMachine ? taken.symbol : undefined;
  for (const t of event._transitions) into?.add(describe(t));
};
const fast = { tickMs: 5, barGraceMs: 10_000, logger: silentLogger, inspect } as const;
async function replay(minutesIn: number, symbols: string[], clock = fastClock(minutesIn)): Promise<LiveSession> {
  const store = await storeWith(['AAPL', 'MSFT', 'TSLA']);
  return createSession({ mode: 'live', feed: new ReplayFeed({ store, clock, calendar, pollMs: 2 }), clock, calendar, store, symbols, ...fast });
}

async function alpaca(secret = 'SECRET') {
  const clock = fastClock(3);
  const record = new Map([['AAPL', dayOf('AAPL', today, 0.1)], ['MSFT', dayOf('MSFT', today, 0.1)]]);
  const server = new FakeAlpacaServer({ clock, record, keyId: 'KEY', secret: 'SECRET', pageSize: 50 });
  const { streamUrl, restUrl } = await server.listen();
  const feed = new AlpacaFeed({ keyId: 'KEY', secretKey: secret, streamUrl, restUrl, backoff: { baseMs: 5, maxMs: 20, connectionLimitMs: 30 }, defaultRetryMs: 0 });
  return { server, session: createSession({ mode: 'live', feed, clock, calendar, symbols: ['AAPL'], ...fast }) };
}

/**
 * Every status a session reports, from its creation: a step waits until what it needs was
 * reported, however fast or slow the machine, instead of sampling a state that may come and go.
 */
function recordReports(session: LiveSession) {
  const symbols: Array<{ symbol: string; status: string }> = [];
  const feed: string[] = [];
  const states: string[] = [];
  let reported = () => undefined as void;
  const next = () => new Promise<void>((resolve) => (reported = resolve));
  session.on('symbol', ({ symbol, status }) => {
    symbols.push({ symbol, status });
    reported();
  });
  session.on('feed', ({ state }) => {
    feed.push(state);
    reported();
  });
  session.on('state', ({ state }) => {
    states.push(state);
    reported();
  });
  return {
    /** Positions to look from: what was reported so far is left behind. */
    mark: () => ({ symbols: symbols.length, feed: feed.length }),
    /** The statuses `symbol` reported since `from`, in order. */
    statusesOf: (symbol: string, from = 0) => symbols.slice(from).filter((s) => s.symbol === symbol).map((s) => s.status),
    feedSince: (from = 0) => feed.slice(from),
    states: () => [...states],
    /** Resolves once `done()` holds, looking again at each report. */
    async until(done: () => boolean) {
      while (!done()) await next();
    },
  };
}

/** True when `statuses` holds `sequence` in that order (not necessarily next to each other). */
function passedThrough(statuses: string[], ...sequence: string[]): boolean {
  let i = 0;
  for (const status of statuses) if (status === sequence[i]) i++;
  return i === sequence.length;
}

test.serial('replay: stop before start; wait for the open, stream, add, remove both ways, stop', async (t) => {
  const never = await replay(0, ['AAPL']);
  await never.stop();
  // The clock stops short of the open until the test has seen the session wait for it.
  const clock = fastClock(-1);
  let seenWaiting = false;
  clock.holdAt(today.open - 1, () => seenWaiting);
  const session = await replay(-1, ['AAPL', 'MSFT'], clock);
  const reports = recordReports(session);
  await session.start();
  t.is(session.state, 'waitingForOpen');
  seenWaiting = true;
  await reports.until(() => reports.states().includes('streaming') && reports.statusesOf('MSFT').at(-1) === 'active');
  await session.addSymbol('TSLA');
  await session.removeSymbol('MSFT');
  await session.removeSymbol('TSLA', { immediate: true });
  await session.stop();
  t.is(session.state, 'closed');
});

test.serial('alpaca: gaps while loading and while filling, a drain during a fill, failed loads and fills, cancelled and aborted loads', async (t) => {
  const { server, session } = await alpaca();
  const reports = recordReports(session);
  t.teardown(async () => {
    server.releaseHistory();
    await server.close();
  });
  const statusOf = (symbol: string) => session.listSymbols().find((s) => s.symbol === symbol);
  await session.start();
  // AAPL streams: connected, loaded, and through any fill its first connection asked for.
  await reports.until(() => reports.feedSince().includes('connected') && reports.statusesOf('AAPL').at(-1) === 'active');
  // MSFT's load and AAPL's coming fill are held unanswered. A drop of a simulated minute
  // reaches MSFT while it loads and sends AAPL filling.
  server.holdHistory();
  let from = reports.mark();
  const msft = session.addSymbol('MSFT');
  server.dropConnections(1);
  await reports.until(() => reports.statusesOf('AAPL', from.symbols).includes('catchingUp'));
  // Another drop during AAPL's fill; once the feed is back, AAPL removed while it fills.
  from = reports.mark();
  server.dropConnections(0);
  await reports.until(() => reports.feedSince(from.feed).includes('connected'));
  t.is(statusOf('AAPL')?.status, 'catchingUp', "AAPL's fill is still held");
  await session.removeSymbol('AAPL');
  // MSFT heard of the gap while loading: once active it fills at once.
  from = reports.mark();
  server.releaseHistory();
  await msft;
  await reports.until(() => passedThrough(reports.statusesOf('MSFT', from.symbols), 'active', 'catchingUp', 'active'));
  t.true(statusOf('MSFT')!.gapFills > 0);
  // A fill whose fetch keeps being refused.
  from = reports.mark();
  server.rateLimitRequests(6);
  server.dropConnections(0);
  await reports.until(() => passedThrough(reports.statusesOf('MSFT', from.symbols), 'catchingUp', 'active'));
  t.not(statusOf('MSFT')!.fillError, undefined);
  t.is(statusOf('MSFT')!.status, 'active', 'a failed fill leaves the symbol streaming');
  // A load that is refused, one cancelled by a removal, one still running at the stop.
  server.rateLimitRequests(6);
  await t.throwsAsync(session.addSymbol('TSLA'));
  server.holdHistory();
  const cancelled = session.addSymbol('NVDA');
  await session.removeSymbol('NVDA');
  await t.throwsAsync(cancelled);
  const aborted = session.addSymbol('AMD');
  await session.stop();
  t.is((await aborted.then(() => 'active', (error: { code?: string }) => error.code)), 'STOPPED');
});

test.serial('replay: a session that runs to the close', async (t) => {
  const session = await replay(27, ['AAPL']);
  await session.start();
  t.is((await session.done).endedBy, 'close');
});

test.serial('alpaca: a refused key ends the session', async (t) => {
  const { server, session } = await alpaca('WRONG');
  t.teardown(() => server.close());
  await session.start();
  t.is((await session.done).endedBy, 'feedFailed');
});

test.serial('every transition of the live session machine was taken', (t) => {
  t.deepEqual(allTransitions(liveSessionMachine.root).map(describe).filter((d) => !taken.session.has(d)), []);
});

// The symbol chart is shared with backtests; these are the transitions only a backtest takes
// (its session loads the days of a pause and catches them up in one go).
const BACKTEST_ONLY = new Set([
  'symbol.loading --LOADED--> symbol.catchingUp',
  'symbol.catchingUp --CAUGHT_UP--> symbol.active',
]);

test.serial('every transition of the live symbol machine was taken', (t) => {
  t.deepEqual(allTransitions(liveSymbolMachine.root).map(describe).filter((d) => !BACKTEST_ONLY.has(d) && !taken.symbol.has(d)), []);
});
