import test from 'ava';
import { createSession, isSessionError, MemoryBarStore, type SessionErrorCode } from 'tapedeck';
import { DATE, harness, shortCalendar } from '../support/session-harness.js';

function code(t: import('ava').ExecutionContext, fn: () => unknown, expected: SessionErrorCode): void {
  const error = t.throws(fn);
  t.true(isSessionError(error), `expected a SessionError, got ${String(error)}`);
  t.is((error as unknown as { code: string }).code, expected);
  t.true((error as Error).message.length > 20, 'the message says what to do');
}

test('adding or removing before start is NOT_RUNNING', (t) => {
  const { session } = harness();
  code(t, () => session.addSymbol('TSLA'), 'NOT_RUNNING');
  code(t, () => session.removeSymbol('AAPL'), 'NOT_RUNNING');
  t.is(session.state, 'idle');
});

test('adding after the close is NOT_RUNNING and the data stays readable', async (t) => {
  const { session } = harness({ minutes: 5 });
  await session.start();
  await session.advance(5);
  await session.done;
  code(t, () => session.addSymbol('TSLA'), 'NOT_RUNNING');
  t.is(session.data.getBarCount('AAPL'), 5);
});

test('a symbol added twice is DUPLICATE_SYMBOL, and can be added again once removed', async (t) => {
  const { session } = harness();
  await session.start();
  const first = session.addSymbol('TSLA');
  code(t, () => session.addSymbol('TSLA'), 'DUPLICATE_SYMBOL');
  await session.advance(0);
  await first;
  code(t, () => session.addSymbol('TSLA'), 'DUPLICATE_SYMBOL');
  await session.removeSymbol('TSLA', { immediate: true });
  const again = session.addSymbol('TSLA');
  await session.advance(1);
  t.is((await again).status, 'active');
});

test('a configured symbol cannot be added: ALREADY_CONFIGURED', async (t) => {
  const { session } = harness({ symbols: ['AAPL', 'MSFT'] });
  await session.start();
  code(t, () => session.addSymbol('MSFT'), 'ALREADY_CONFIGURED');
});

// Found by validation.property: a configured symbol still draining is configured, not a duplicate.
test('a configured symbol that is draining is ALREADY_CONFIGURED; once removed it can be added back', async (t) => {
  const { session } = harness({ symbols: ['AAPL', 'MSFT'] });
  await session.start();
  void session.removeSymbol('MSFT');
  code(t, () => session.addSymbol('MSFT'), 'ALREADY_CONFIGURED');
  await session.advance(1);
  const again = session.addSymbol('MSFT');
  code(t, () => session.addSymbol('MSFT'), 'DUPLICATE_SYMBOL');
  await session.advance(1);
  t.is((await again).status, 'active');
});

test('bad symbol text is INVALID_SYMBOL, bad streams INVALID_INTERVAL, both before anything is queued', async (t) => {
  const { session } = harness();
  await session.start();
  for (const bad of ['', 'tsla', '../etc', 'A/B', 'TOOLONGSYMBOLNAME1', 'A..B', 42 as unknown as string]) {
    code(t, () => session.addSymbol(bad), 'INVALID_SYMBOL');
  }
  code(t, () => session.addSymbol('TSLA', { streams: ['2m' as '1m'] }), 'INVALID_INTERVAL');
  code(t, () => session.addSymbol('TSLA', { streams: [] }), 'INVALID_INTERVAL');
  t.deepEqual(session.listDynamic(), []);
});

test('removing a symbol the session does not have is UNKNOWN_SYMBOL', async (t) => {
  const { session } = harness();
  await session.start();
  code(t, () => session.removeSymbol('ZZZ'), 'UNKNOWN_SYMBOL');
  await session.removeSymbol('AAPL', { immediate: true });
  code(t, () => session.removeSymbol('AAPL'), 'UNKNOWN_SYMBOL');
});

test('a valid request is queued at once and listed with its streams and time of request', async (t) => {
  const { session } = harness();
  await session.start();
  await session.advance(7);
  const before = Date.now();
  void session.addSymbol('TSLA', { streams: ['1m', '5m'] });
  const [info] = session.listDynamic();
  t.is(info?.symbol, 'TSLA');
  t.is(info?.status, 'queued');
  t.deepEqual(info?.streams, ['1m', '5m']);
  t.is(info?.addedAt.sim, session.clock.now());
  t.true(info!.addedAt.wall >= before);
  t.is(session.state, 'streaming', 'nothing pauses until the next clock step');
});

test('createSession rejects bad options synchronously', (t) => {
  const store = new MemoryBarStore();
  const calendar = shortCalendar();
  code(t, () => createSession({ mode: 'backtest', date: '2024-03-09', store, calendar }), 'NOT_A_TRADING_DAY');
  code(t, () => createSession({ mode: 'backtest', date: DATE, store, calendar, speed: -1 }), 'INVALID_OPTION');
  code(t, () => createSession({ mode: 'backtest', date: DATE, store, calendar, symbols: ['AAPL', 'AAPL'] }), 'DUPLICATE_SYMBOL');
  code(t, () => createSession({ mode: 'backtest', date: DATE, store, calendar, symbols: ['aapl'] }), 'INVALID_SYMBOL');
  code(t, () => createSession({ mode: 'backtest', date: DATE, store: undefined as never, calendar }), 'INVALID_OPTION');
  code(t, () => createSession({ mode: 'backtest', date: DATE, store, calendar, loadTimeoutMs: 0 }), 'INVALID_OPTION');
});

test('start twice is ALREADY_STARTED', async (t) => {
  const { session } = harness();
  await session.start();
  const error = await t.throwsAsync(session.start());
  t.is((error as { code?: string }).code, 'ALREADY_STARTED');
});
