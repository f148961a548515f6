import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ArrowBarStore, createSession, generateDayBars, MemoryBarStore, nyse, silentLogger, type Bar, type BarStore, type Interval } from 'tapedeck';

const DATE = '2024-03-08';
const day = nyse.session(DATE)!;

interface Seen {
  symbol: string;
  interval: Interval;
  bar: Bar;
  /** The simulated time the bar reached the listener. */
  at: number;
}

/** A backtest of `symbols` at full speed, with every bar each listener saw and when. */
async function run(store: BarStore, symbols: Array<{ symbol: string; streams: Interval[] }>, add?: { symbol: string; streams: Interval[]; at: number }) {
  const session = createSession({ mode: 'backtest', date: DATE, store, symbols, speed: 'max', logger: silentLogger });
  const seen: Seen[] = [];
  let added: Promise<unknown> | undefined;
  session.onBar(({ symbol, interval, t, o, h, l, c, v }) => {
    seen.push({ symbol, interval, bar: { t, o, h, l, c, v }, at: session.clock.now() });
    if (add && !added && session.clock.now() >= add.at) added = session.addSymbol(add.symbol, { streams: add.streams });
  });
  await session.start();
  const summary = await session.done;
  await added;
  return { seen, summary };
}

test('a symbol stored at 5m only streams 5m and 15m as a 1m symbol whose 5m bars those are, configured or added mid-day', async (t) => {
  const store = new MemoryBarStore();
  await store.putBars('ONE', '1m', generateDayBars('ONE', day, { seed: 4 }));
  // The 5m bars the engine builds from ONE's 1m bars, stored as FIVE's only bars.
  const reference = await run(store, [{ symbol: 'ONE', streams: ['1m', '5m', '15m'] }]);
  const fiveMinute = reference.seen.filter((s) => s.interval === '5m').map((s) => s.bar);
  t.true(fiveMinute.length > 70);
  await store.putBars('FIVE', '5m', fiveMinute);

  const expected = reference.seen.filter((s) => s.interval !== '1m').map((s) => ({ ...s, symbol: 'FIVE' }));
  const configured = await run(store, [{ symbol: 'FIVE', streams: ['5m', '15m'] }]);
  t.deepEqual(configured.seen, expected);
  t.deepEqual(configured.summary.symbols[0]!.streamed, { '5m': fiveMinute.length, '15m': expected.filter((s) => s.interval === '15m').length });

  // Added at 10:31: the bars before are caught up silently, the rest stream at their closes.
  const at = day.open + 61 * 60_000;
  const withAdd = await run(store, [{ symbol: 'ONE', streams: ['1m'] }], { symbol: 'FIVE', streams: ['15m', '5m'], at });
  const streamedAfterAdd = withAdd.seen.filter((s) => s.symbol === 'FIVE');
  t.true(streamedAfterAdd.length > 0);
  t.deepEqual(
    streamedAfterAdd.map(({ interval, bar }) => ({ interval, bar })),
    expected.filter((s) => s.bar.t + (s.interval === '5m' ? 5 : 15) * 60_000 > at + 60_000).map(({ interval, bar }) => ({ interval, bar })),
  );
  t.true(streamedAfterAdd.every((s) => s.at >= s.bar.t + (s.interval === '5m' ? 5 : 15) * 60_000));
});

test('asking for a finer interval than stored is NO_DATA naming what the store has that day', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-stored-interval-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  const bars = generateDayBars('FIVE', day, { seed: 4, missingRate: 0 }).filter((bar) => (bar.t - day.open) % 300_000 === 0);
  await store.putBars('FIVE', '5m', bars);
  await store.putBars('HOUR', '1h', bars.filter((bar) => (bar.t - day.open) % 3_600_000 === 0));
  const session = createSession({ mode: 'backtest', date: DATE, store, symbols: [{ symbol: 'FIVE', streams: ['1m', '5m'] }, { symbol: 'HOUR', streams: ['15m'] }, { symbol: 'FIVE2', streams: ['5m'] }], speed: 'max', logger: silentLogger });
  await session.start().catch(() => undefined);
  const summary = await session.done;
  const failure = (symbol: string) => summary.symbols.find((s) => s.symbol === symbol)!.error;
  t.like(failure('FIVE'), { code: 'NO_DATA' });
  t.regex(failure('FIVE')!.message, /No bars for FIVE on 2024-03-08 at 1m or finer; the bar store has 5m bars that day: stream 5m or coarser \(--streams 5m\), or import 1m bars/);
  t.regex(failure('HOUR')!.message, /at 15m or finer; the bar store has 1h bars that day/);
  t.regex(failure('FIVE2')!.message, /No 1m to 5m bars for FIVE2 on 2024-03-08 in the bar store/);
});

test('a store that keeps 1m bars only, and throws when asked for others, still makes a symbol without bars NO_DATA', async (t) => {
  const inner = new MemoryBarStore();
  await inner.putBars('ONE', '1m', generateDayBars('ONE', day, { seed: 4 }));
  const oneMinuteOnly: BarStore = {
    getBars: (symbol, interval, startMs, endMs) => {
      if (interval !== '1m') throw new Error(`this store keeps 1m bars only, not ${interval}`);
      return inner.getBars(symbol, interval, startMs, endMs);
    },
    putBars: (symbol, interval, bars) => inner.putBars(symbol, interval, bars),
  };
  const session = createSession({ mode: 'backtest', date: DATE, store: oneMinuteOnly, symbols: [{ symbol: 'ONE', streams: ['1m', '5m'] }, 'NONE'], speed: 'max', logger: silentLogger });
  await session.start();
  const summary = await session.done;
  t.is(summary.symbols.find((s) => s.symbol === 'ONE')!.status, 'active');
  t.like(summary.symbols.find((s) => s.symbol === 'NONE')!.error, { code: 'NO_DATA' });
});
