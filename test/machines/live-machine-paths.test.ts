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
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function replay(minutesIn: number, symbols: string[]): Promise<LiveSession> {
  const store = await storeWith(['AAPL', 'MSFT', 'TSLA']);
  const clock = fastClock(minutesIn);
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

test.serial('replay: stop before start; wait for the open, stream, add, remove both ways, stop', async (t) => {
  const never = await replay(0, ['AAPL']);
  await never.stop();
  const session = await replay(-1, ['AAPL', 'MSFT']);
  await session.start();
  t.is(session.state, 'waitingForOpen');
  while (session.state === 'waitingForOpen') await wait(5);
  await session.addSymbol('TSLA');
  await session.removeSymbol('MSFT');
  await session.removeSymbol('TSLA', { immediate: true });
  await session.stop();
  t.is(session.state, 'closed');
});

test.serial('alpaca: gaps while loading and while filling, a drain during a fill, failed loads and fills, cancelled and aborted loads', async (t) => {
  const { server, session } = await alpaca();
  t.teardown(() => server.close());
  const until = async (done: () => boolean) => {
    while (!done()) await wait(5);
  };
  const statusOf = (symbol: string) => session.listSymbols().find((s) => s.symbol === symbol)?.status;
  await session.start();
  await wait(100);
  // MSFT's load and AAPL's coming fill are slow (0.4 s real). A drop of a simulated minute
  // reaches MSFT while it loads and sends AAPL filling.
  server.slowRequests(2, 400);
  const msft = session.addSymbol('MSFT');
  server.dropConnections(1);
  await until(() => statusOf('AAPL') === 'catchingUp');
  // Another drop during AAPL's fill, then AAPL removed while it fills.
  server.dropConnections(0);
  await wait(60);
  await session.removeSymbol('AAPL');
  // MSFT heard of the gap while loading: once active it fills at once.
  await msft;
  await until(() => statusOf('MSFT') === 'active' && session.listSymbols().find((s) => s.symbol === 'MSFT')!.gapFills > 0);
  // A fill whose fetch keeps being refused.
  server.rateLimitRequests(6);
  server.dropConnections(0);
  await until(() => session.listSymbols().find((s) => s.symbol === 'MSFT')!.fillError !== undefined);
  t.is(statusOf('MSFT'), 'active', 'a failed fill leaves the symbol streaming');
  // A load that is refused, one cancelled by a removal, one still running at the stop.
  server.rateLimitRequests(6);
  await t.throwsAsync(session.addSymbol('TSLA'));
  server.slowRequests(2, 300);
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
// (its session catches a loaded day up in a pause of its own).
const BACKTEST_ONLY = new Set([
  'symbol.loading --xstate.done.actor.0.symbol.loading--> symbol.catchingUp',
  'symbol.catchingUp --CAUGHT_UP--> symbol.active',
]);

test.serial('every transition of the live symbol machine was taken', (t) => {
  t.deepEqual(allTransitions(liveSymbolMachine.root).map(describe).filter((d) => !BACKTEST_ONLY.has(d) && !taken.symbol.has(d)), []);
});
