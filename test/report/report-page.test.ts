import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { REPORT_SYMBOLS } from '../../run/report-candles.js';
import { jsonForScript } from '../../run/report-page.js';
import { runBacktest } from '../../run/run-backtest.js';
import { defineStrategy } from '../../run/strategy.js';
import { syntheticStore } from '../run/run-fixture.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const MINUTE_MS = 60_000;
const FROM = '2024-03-04';
const TO = '2024-03-06';

/** Adds NEW at 11:10 on the first day and buys it once it streams; removes it, flattened, on the last. */
const addsAndRemoves = defineStrategy({
  name: 'adds-and-removes',
  symbols: ['AAA'],
  onBar(ctx, bar) {
    const minute = (bar.t - ctx.day.open) / MINUTE_MS;
    if (ctx.day.index === 0 && bar.symbol === 'AAA' && minute === 100) void ctx.session.addSymbol('NEW');
    if (ctx.day.index === 0 && bar.symbol === 'NEW' && minute === 200) ctx.broker.buy('NEW', 5);
    if (ctx.day.index === 2 && bar.symbol === 'AAA' && minute === 50) void ctx.session.removeSymbol('NEW', { flatten: true });
  },
});

test('the day-by-day table marks the days a symbol was added or removed; fills are marked on their candle', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-report-page-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = await syntheticStore(['AAA', 'NEW'], FROM, TO, { missingRate: 0 });
  await runBacktest({ strategy: addsAndRemoves, from: FROM, to: TO, store, cash: 10_000, logger: silent, out: dir });
  const page = await readFile(join(dir, 'report.html'), 'utf8');
  const rows = [...page.matchAll(/<tr( class="dynamic")?><td>(\d{4}-\d{2}-\d{2})<\/td>.*?<\/tr>/g)].map((m) => [m[2], m[1] !== undefined, m[0]] as const);
  t.deepEqual(rows.map(([date, marked]) => [date, marked]), [[FROM, true], ['2024-03-05', false], [TO, true]]);
  t.true(rows[0]![2].includes('<span class="added">+NEW</span>'));
  t.true(rows[2]![2].includes('<span class="removed">−NEW</span>'));

  // The buy sent at minute 200 fills on minute 201's bar: the candle of 12:50–12:55. The flatten
  // on the last day has no candle to go on (NEW's bars of that day left with it), so no marker.
  const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)![1]!);
  t.deepEqual(data.fills, { NEW: [[nyse.session(FROM)!.open + 200 * MINUTE_MS, 'buy']] });
});

test('the same run writes the same report.html, byte for byte', async (t) => {
  const dirs = [await mkdtemp(join(tmpdir(), 'tapedeck-report-a-')), await mkdtemp(join(tmpdir(), 'tapedeck-report-b-'))];
  t.teardown(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
  for (const dir of dirs) {
    const store = await syntheticStore(['AAA', 'NEW'], FROM, TO, { seed: 11 });
    await runBacktest({ strategy: addsAndRemoves, from: FROM, to: TO, store, cash: 10_000, logger: silent, out: dir });
  }
  const [first, second] = await Promise.all(dirs.map((dir) => readFile(join(dir, 'report.html'), 'utf8')));
  t.true(first!.length > 100_000, 'the charts library is inlined');
  t.is(first, second);
});

test('candles are the run\'s 1m bars in 5-minute buckets from the open', async (t) => {
  const store = await syntheticStore(['AAA', 'NEW'], FROM, TO, { seed: 5, missingRate: 0 });
  const result = await runBacktest({ strategy: addsAndRemoves, from: FROM, to: TO, store, cash: 10_000, logger: silent });
  t.is(result.candles.minutes, 5);
  t.is(result.candles.timeZone, 'America/New_York');
  for (const symbol of ['AAA', 'NEW']) {
    const candles = result.candles.symbols[symbol]!;
    for (const date of nyse.tradingDays(FROM, TO)) {
      const { open, close } = nyse.session(date)!;
      // NEW is removed on the last day: its bars of that day leave the session with it.
      const bars = symbol === 'NEW' && date === TO ? [] : await store.getBars(symbol, '1m', open, close);
      const ofDay = candles.filter((c) => c.t >= open && c.t < close);
      const expected = new Map<number, { t: number; o: number; h: number; l: number; c: number; v: number }>();
      for (const bar of bars) {
        const start = open + Math.floor((bar.t - open) / (5 * MINUTE_MS)) * 5 * MINUTE_MS;
        const candle = expected.get(start);
        if (!candle) expected.set(start, { ...bar, t: start });
        else Object.assign(candle, { h: Math.max(candle.h, bar.h), l: Math.min(candle.l, bar.l), c: bar.c, v: candle.v + bar.v });
      }
      t.deepEqual(ofDay, [...expected.values()], `${symbol} ${date}`);
    }
  }
});

test('a run of many symbols keeps the candles of the traded ones first and names the rest', async (t) => {
  const symbols = Array.from({ length: REPORT_SYMBOLS + 3 }, (_, i) => `S${String(i).padStart(2, '0')}`);
  const traded = ['S14', 'S13'];
  const store = await syntheticStore(symbols, FROM, FROM, { seed: 2 });
  const strategy = defineStrategy({
    name: 'two-of-many',
    symbols,
    onBar(ctx, bar) {
      if (traded.includes(bar.symbol) && bar.t === ctx.day.open + 30 * MINUTE_MS) ctx.broker.buy(bar.symbol, 1);
    },
  });
  const result = await runBacktest({ strategy, from: FROM, to: FROM, store, cash: 10_000, logger: silent });
  const kept = Object.keys(result.candles.symbols);
  t.is(kept.length, REPORT_SYMBOLS);
  t.true(traded.every((symbol) => kept.includes(symbol)));
  t.deepEqual(result.candles.omitted, ['S10', 'S11', 'S12']);
});

test('JSON embedded in the page cannot close its script element', (t) => {
  const text = jsonForScript({ note: '</script><script>alert(1)</script><!--' });
  t.false(/<\/script|<!--/i.test(text));
  t.deepEqual(JSON.parse(text), { note: '</script><script>alert(1)</script><!--' });
});

test('30-minute candles of a run that streams 5m, 15m and 1h are those of its 1m bars, gaps and an early close included', async (t) => {
  // 2024-11-25 … 12-03: 7 trading days, so 30-minute candles; the 29th closes at 13:00.
  const [from, to] = ['2024-11-25', '2024-12-03'];
  const store = await syntheticStore(['AAA', 'BBB'], from, to, { seed: 9, missingRate: 0.2 });
  const strategy = defineStrategy({ name: 'watches', symbols: ['AAA', 'BBB'], streams: ['5m', '15m', '1h'] });
  const result = await runBacktest({ strategy, from, to, store, cash: 10_000, logger: silent });
  t.is(result.candles.minutes, 30);
  const span = 30 * MINUTE_MS;
  for (const symbol of ['AAA', 'BBB']) {
    const expected: Array<{ t: number; o: number; h: number; l: number; c: number; v: number }> = [];
    for (const date of nyse.tradingDays(from, to)) {
      const { open, close } = nyse.session(date)!;
      const byBucket = new Map<number, { t: number; o: number; h: number; l: number; c: number; v: number }>();
      for (const bar of await store.getBars(symbol, '1m', open, close)) {
        const start = open + Math.floor((bar.t - open) / span) * span;
        const candle = byBucket.get(start);
        if (!candle) byBucket.set(start, { ...bar, t: start });
        else Object.assign(candle, { h: Math.max(candle.h, bar.h), l: Math.min(candle.l, bar.l), c: bar.c, v: candle.v + bar.v });
      }
      expected.push(...byBucket.values());
    }
    t.deepEqual(result.candles.symbols[symbol], expected, symbol);
  }
});
