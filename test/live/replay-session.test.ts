import test from 'ava';
import { createSession, isSessionError, silentLogger, type Bar } from 'tapedeck';
import { acceleratedClock } from '../../data-plane/live-clock.js';
import { ReplayFeed } from '../../feeds/replay-feed.js';
import { backtestSeries, calendar, closeOf, dayOf, fastClock, holdsLastBars, minutesStreamed, recordBars, storeWith, today, yesterday } from '../support/live-fixture.js';

// The grace (simulated) must outlast the replay's poll: 10 s is 17 ms real at SPEED, the poll 2 ms.
const fast = { tickMs: 5, barGraceMs: 10_000, logger: silentLogger } as const;

/** `closeWith`: the symbols whose last bar of the day must be in before the clock passes the close. */
function replaySession(store: Awaited<ReturnType<typeof storeWith>>, minutesIn: number, symbols: Parameters<typeof createSession>[0]['symbols'], trailingDays = 0, closeWith: ReadonlyMap<string, Bar[]> = new Map()) {
  const clock = fastClock(minutesIn);
  const feed = new ReplayFeed({ store, clock, calendar, pollMs: 2 });
  const session = createSession({ mode: 'live', feed, clock, calendar, symbols, trailingDays, ...fast });
  clock.holdCloseUntil(() => holdsLastBars(session, closeWith));
  return Object.assign(session, { fastClock: clock });
}

test('a live session started mid-day holds, at the close, exactly what a backtest of the day holds', async (t) => {
  const store = await storeWith(['AAPL'], { missingRate: 0.1 });
  const day = dayOf('AAPL', today, 0.1);
  const session = replaySession(store, 7, [{ symbol: 'AAPL', streams: ['1m', '5m', '15m'] }], 0, new Map([['AAPL', day]]));
  // A derived bar goes out at its grace, a few real milliseconds here; a minute the replay
  // delivers later revises it (as a late trade would). The clock waits at each minute's grace
  // for its bar, so a busy machine cannot turn a punctual feed into a late one.
  const start = session.clock.now();
  for (const bar of day) {
    const graceOver = bar.t + 60_000 + fast.barGraceMs;
    if (graceOver > start) session.fastClock.holdAt(graceOver - 1, () => (session.data.getLatestBar('AAPL')?.t ?? Number.NEGATIVE_INFINITY) >= bar.t);
  }
  const bars = recordBars(session);
  await session.start();
  t.is(session.state, 'streaming');
  const summary = await session.done;
  t.is(summary.endedBy, 'close');
  t.deepEqual(session.data.getSymbolData('AAPL')!.bars, await backtestSeries(store, 'AAPL', ['1m', '5m', '15m']));
  t.true(bars.length > 0);
  t.true(bars.every((bar) => closeOf(bar) <= bar.at), 'no bar before its close');
  t.true(bars.every((bar, i) => i === 0 || closeOf(bars[i - 1]!) <= closeOf(bar)), 'non-decreasing close time');
  t.true(bars.every((bar) => bar.t + 60_000 > today.open + 7 * 60_000 || bar.interval !== '1m'), 'history is not notified');
});

test('addSymbol resolves once trailing days and today so far are loaded, and other symbols never pause', async (t) => {
  const store = await storeWith(['AAPL', 'MSFT']);
  const session = replaySession(store, 2, ['AAPL'], 1, new Map(['AAPL', 'MSFT'].map((s) => [s, dayOf(s, today)])));
  const aapl: number[] = [];
  session.onBar((bar) => bar.symbol === 'AAPL' && aapl.push(bar.t));
  const streamed = minutesStreamed(session, 'AAPL', 6);
  await session.start();
  await streamed;
  const info = await session.addSymbol('MSFT', { streams: ['1m', '5m'] });
  t.is(info.status, 'active');
  const now = session.clock.now();
  const held = session.data.getBarsSince('MSFT', today.open, '1m');
  t.true(held.length >= Math.floor((now - today.open) / 60_000) - 1, `today's bars so far are there (${held.length})`);
  t.true(held.every((bar) => bar.t + 60_000 <= now));
  t.is(session.data.getBarsSince('MSFT', yesterday.open, '1m').length - held.length, 30, 'yesterday is there');
  t.true(aapl.length >= 6, `AAPL streamed while MSFT loaded (${aapl.length})`);
  t.true(aapl.every((time, i) => i === 0 || time === aapl[i - 1]! + 60_000), 'AAPL missed no minute');
  await session.done;
  const expected = await backtestSeries(store, 'MSFT', ['1m', '5m']);
  const after = (bars: Bar[] | undefined) => (bars ?? []).filter((bar) => bar.t >= today.open);
  t.deepEqual(after(session.data.getSymbolData('MSFT')!.bars['1m']), expected['1m']);
  t.deepEqual(after(session.data.getSymbolData('MSFT')!.bars['5m']), expected['5m']);
  t.is(session.data.getBarsSince('MSFT', 0, '5m').length - after(session.data.getSymbolData('MSFT')!.bars['5m']).length, 6, "yesterday's 5m bars");
});

test('a graceful removal delivers the minute in progress, then unsubscribes; later bars are counted, not kept', async (t) => {
  const store = await storeWith(['AAPL', 'MSFT']);
  const session = replaySession(store, 1, ['AAPL', 'MSFT']);
  const msft: Array<{ t: number; at: number }> = [];
  session.onBar((bar) => bar.symbol === 'MSFT' && msft.push({ t: bar.t, at: session.clock.now() }));
  const streamed = minutesStreamed(session, 'MSFT', 3);
  await session.start();
  await streamed;
  const askedAt = session.clock.now();
  const minute = Math.floor(askedAt / 60_000) * 60_000;
  // The drain gives up at the grace after the minute's close, a few real milliseconds here: the
  // clock waits there for the bar, so a busy machine cannot make it give up early.
  session.fastClock.holdAt(minute + 60_000 + fast.barGraceMs - 1, () => msft.some((bar) => bar.t === minute));
  await session.removeSymbol('MSFT');
  t.is(msft.at(-1)!.t, minute, 'the bar of the minute in progress came last');
  t.is(session.listSymbols().find((s) => s.symbol === 'MSFT')!.status, 'removed');
  t.is(session.data.getBarCount('MSFT'), 0);
  t.throws(() => session.removeSymbol('MSFT'), { instanceOf: Error, message: /not in the session/ });
  await session.stop();
});

test('outside a trading day, or after the close, a live session says so at once', async (t) => {
  const store = await storeWith(['AAPL']);
  const saturday = Date.parse('2024-03-09T15:00:00Z');
  for (const now of [saturday, today.close + 1]) {
    const clock = acceleratedClock(now, 1);
    const error = t.throws(() => createSession({ mode: 'live', feed: new ReplayFeed({ store, clock, calendar }), clock, calendar, symbols: ['AAPL'] }));
    t.true(isSessionError(error, 'NOT_A_TRADING_DAY'), String(error));
  }
});

test('before the open the session waits, loads, then streams from the open', async (t) => {
  const store = await storeWith(['AAPL']);
  const session = replaySession(store, -3, ['AAPL'], 1, new Map([['AAPL', dayOf('AAPL', today)]]));
  // Three simulated minutes are 0.3 s real: the clock stops short of the open until the test has looked.
  let looked = false;
  session.fastClock.holdAt(today.open - 1, () => looked);
  await session.start();
  t.is(session.state, 'waitingForOpen');
  t.is(session.data.getBarCount('AAPL'), 30, "yesterday's bars are loaded before the open");
  looked = true;
  await session.done;
  t.is(session.data.getBarsSince('AAPL', today.open).length, 30);
});
