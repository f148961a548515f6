import test from 'ava';
import { createSession, MemoryBarStore, silentLogger, type Bar } from 'tapedeck';
import { ReplayFeed } from '../../feeds/replay-feed.js';
import { recordLiveBars } from '../../storage/bars/live-bar-recorder.js';
import { calendar, DATE, dayOf, fastClock, holdsLastBars, storeWith, today } from '../support/live-fixture.js';

// A live day is recorded into a bar store as it streams — the day so far loaded at the start
// and on an add, then each minute — so a backtest of that day replays the bars the live
// session saw, every minute once.

const fast = { tickMs: 5, barGraceMs: 10_000, logger: silentLogger } as const;

test('a recorded live day backtests to the bars the live session saw', async (t) => {
  const source = await storeWith(['AAPL', 'TSLA'], { missingRate: 0.1 });
  const days = new Map(['AAPL', 'TSLA'].map((symbol): [string, Bar[]] => [symbol, dayOf(symbol, today, 0.1)]));
  const clock = fastClock(7);
  const feed = new ReplayFeed({ store: source, clock, calendar, pollMs: 2 });
  const live = createSession({ mode: 'live', feed, clock, calendar, symbols: [{ symbol: 'AAPL', streams: ['1m', '5m'] }], trailingDays: 0, ...fast });
  clock.holdCloseUntil(() => holdsLastBars(live, days));
  const recorded = new MemoryBarStore();
  const recording = recordLiveBars(live, recorded, { flushMs: 5 });
  const streamed = new Set<string>();
  live.onBar((bar) => bar.interval === '1m' && streamed.add(`${bar.symbol} ${bar.t}`));
  await live.start();
  // Added at minute 12 or later: what came before is the day so far, loaded, not streamed.
  while (live.clock.now() < today.open + 12 * 60_000) await new Promise((resolve) => setImmediate(resolve));
  await live.addSymbol('TSLA', { streams: ['1m'] });
  await live.done;
  await recording.close();

  const replay = createSession({ mode: 'backtest', date: DATE, calendar, store: recorded, symbols: ['AAPL', 'TSLA'], speed: 'max', logger: silentLogger });
  await replay.start();
  await replay.done;
  for (const symbol of ['AAPL', 'TSLA']) {
    const liveBars = live.data.getBarsSince(symbol, today.open, '1m');
    t.deepEqual(replay.data.getBarsSince(symbol, today.open, '1m'), liveBars, `${symbol}: the backtest of the recorded day holds the live session's bars`);
    t.deepEqual(liveBars, days.get(symbol), `${symbol}: which are the day's bars, each once`);
    t.true(liveBars.some((bar) => !streamed.has(`${symbol} ${bar.t}`)), `${symbol}: some came from the day so far, not the stream`);
    t.true(liveBars.some((bar) => streamed.has(`${symbol} ${bar.t}`)), `${symbol}: some came from the stream`);
  }
  t.deepEqual(await recorded.getBars('AAPL', '1m', 0, today.open), [], 'nothing but the day is recorded');
});

test('a failed write keeps its bars for the next one', async (t) => {
  const source = await storeWith(['AAPL']);
  const clock = fastClock(25);
  const feed = new ReplayFeed({ store: source, clock, calendar, pollMs: 2 });
  const live = createSession({ mode: 'live', feed, clock, calendar, symbols: ['AAPL'], trailingDays: 0, ...fast });
  clock.holdCloseUntil(() => holdsLastBars(live, new Map([['AAPL', dayOf('AAPL', today)]])));
  const recorded = new MemoryBarStore();
  let failures = 1;
  const flaky = Object.assign(Object.create(recorded) as MemoryBarStore, {
    putBars: (symbol: string, interval: '1m', bars: Bar[]) => (failures-- > 0 ? Promise.reject(new Error('disk full')) : recorded.putBars(symbol, interval, bars)),
  });
  const errors: unknown[] = [];
  const recording = recordLiveBars(live, flaky, { flushMs: 60_000, logger: { ...silentLogger, error: (_message, error) => errors.push(error) } });
  await live.start();
  await recording.flush();
  t.is(errors.length, 1);
  await live.done;
  await recording.close();
  t.deepEqual(await recorded.getBars('AAPL', '1m', today.open, today.close), dayOf('AAPL', today));
});
