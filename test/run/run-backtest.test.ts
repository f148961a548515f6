import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toUnits } from '../../broker/money.js';
import { nyse } from '../../calendar/nyse.js';
import type { BarStore } from '../../model/bar-store.js';
import { runBacktest, type RunBacktestOptions } from '../../run/run-backtest.js';
import { isRunError } from '../../run/run-error.js';
import { defineStrategy } from '../../run/strategy.js';
import { dailyFlat, syntheticStore } from './run-fixture.js';

const FROM = '2024-03-04';
const TO = '2024-03-06';

async function options(): Promise<RunBacktestOptions> {
  const store = await syntheticStore(['AAA', 'BBB'], FROM, TO);
  return { strategy: dailyFlat, from: FROM, to: TO, store, cash: 100_000, commission: { perShare: 0.005, minimum: 1 }, slippage: { bps: 2 }, logger: silent };
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

test('the same run twice gives byte-identical results and result files', async (t) => {
  const base = await options();
  const dirs = [await mkdtemp(path.join(tmpdir(), 'tapedeck-run-')), await mkdtemp(path.join(tmpdir(), 'tapedeck-run-'))];
  try {
    const [first, second] = [await runBacktest({ ...base, out: dirs[0] }), await runBacktest({ ...base, out: dirs[1] })];
    t.true(first.fills.length > 0);
    t.is(JSON.stringify(second), JSON.stringify(first));
    for (const file of ['result.json', 'fills.csv', 'trades.csv', 'equity.csv']) {
      t.is(await readFile(path.join(dirs[1]!, file), 'utf8'), await readFile(path.join(dirs[0]!, file), 'utf8'), file);
    }
    const written = JSON.parse(await readFile(path.join(dirs[0]!, 'result.json'), 'utf8'));
    t.deepEqual(written.metrics, first.metrics);
    t.is((await readFile(path.join(dirs[0]!, 'fills.csv'), 'utf8')).trim().split('\n').length, first.fills.length + 1);
  } finally {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
});

test('accounting: Σ trade pnl − commissions is the equity change, and each day\'s pnl sums to it', async (t) => {
  const result = await runBacktest(await options());
  const units = (xs: number[]) => xs.reduce((sum, x) => sum + toUnits(x), 0);
  t.true(result.trades.length > 10);
  const change = toUnits(result.metrics.finalEquity) - toUnits(100_000);
  t.is(units(result.trades.map((trip) => trip.pnl)) - units(result.fills.map((fill) => fill.commission)), change);
  t.is(units(result.days.map((day) => day.pnl)), change);
  t.deepEqual(result.days.map((day) => day.date), ['2024-03-04', '2024-03-05', '2024-03-06']);
  t.deepEqual(result.equity.days.map((day) => day.equity), result.days.map((day) => day.endEquity));
});

test('the broker is marked before the strategy sees a bar: equity = cash + Σ qty × that bar\'s close, at every bar', async (t) => {
  const seen: string[] = [];
  const checking = defineStrategy({
    ...dailyFlat,
    name: 'checking',
    onBar(ctx, bar) {
      const marked = ctx.broker.positions().reduce((sum, p) => sum + toUnits(p.marketValue), 0);
      if (toUnits(ctx.broker.cash) + marked !== toUnits(ctx.broker.equity)) seen.push(`identity at ${bar.t}`);
      const { qty, marketValue } = ctx.broker.position(bar.symbol);
      if (toUnits(marketValue) !== qty * toUnits(bar.c)) seen.push(`${bar.symbol} not marked at ${bar.t}`);
      if (ctx.now() !== bar.t + 60_000) seen.push(`now ${ctx.now()} at ${bar.t}`);
      dailyFlat.onBar!(ctx, bar);
    },
  });
  const result = await runBacktest({ ...(await options()), strategy: checking });
  t.true(result.fills.length > 0);
  t.deepEqual(seen, []);
});

test('a minute\'s equity point is the account once the minute is over, a flatten on its last bar included', async (t) => {
  // BBB's 5m bar is the last bar its minute delivers: a flatten there moves equity after every 1m bar of the minute.
  const lastSeen = new Map<number, number>();
  let flattenedAt: number | undefined;
  const flattening = defineStrategy({
    name: 'flattening',
    symbols: ['AAA', 'BBB'],
    streams: ['1m', '5m'],
    onBar(ctx, bar) {
      if (bar.symbol === 'BBB' && bar.interval === '1m' && ctx.broker.position('BBB').qty === 0 && flattenedAt === undefined) ctx.broker.buy('BBB', 100);
      if (bar.symbol === 'BBB' && bar.interval === '5m' && ctx.broker.position('BBB').qty !== 0 && flattenedAt === undefined) {
        void ctx.session.removeSymbol('BBB', { flatten: true });
        flattenedAt = ctx.now();
      }
      lastSeen.set(ctx.now(), ctx.broker.equity);
    },
  });
  const result = await runBacktest({ ...(await options()), to: FROM, strategy: flattening });
  t.truthy(flattenedAt);
  const flatten = result.fills.find((fill) => fill.reason !== undefined);
  t.truthy(flatten, 'the flatten filled');
  t.true(flatten!.commission > 0);
  const points = result.equity.minutes;
  t.true(points.some((point) => point.t === flattenedAt));
  for (const point of points) t.is(point.equity as number | undefined, lastSeen.get(point.t), `the point at ${point.t}`);
});

test('an unknown param, an empty range and a throwing strategy are typed errors', async (t) => {
  const base = await options();
  await t.throwsAsync(runBacktest({ ...base, params: { nope: 1 } }), { code: 'UNKNOWN_PARAM' } as never);
  await t.throwsAsync(runBacktest({ ...base, from: '2024-03-09', to: '2024-03-10' }), { code: 'NO_TRADING_DAYS' } as never);
  const throwing = defineStrategy({ name: 'throws', symbols: ['AAA'], onBar: () => { throw new Error('boom'); } });
  const error = await t.throwsAsync(runBacktest({ ...base, strategy: throwing }));
  t.true(isRunError(error, 'STRATEGY_FAILED'));
  t.regex(error!.message, /throws threw on 2024-03-04: boom/);
  const badInit = defineStrategy({ name: 'bad-init', init: (): number => { throw new Error('no state'); } });
  const initError = await t.throwsAsync(runBacktest({ ...base, strategy: badInit }));
  t.true(isRunError(initError, 'STRATEGY_FAILED'));
  t.regex(initError!.message, /in init: no state/);
});

test('params from strings take the default\'s type', async (t) => {
  const result = await runBacktest({ ...(await options()), to: FROM, params: { every: '31', size: 3 } });
  t.deepEqual(result.params, { every: 31, hold: 9, size: 3 });
  t.true(result.fills.every((fill) => fill.qty === 3));
});

test('a run tells the store each next trading day before it reads it, and no day after `to`', async (t) => {
  const inner = await syntheticStore(['AAA', 'BBB'], '2024-03-01', TO);
  const events: string[] = [];
  const dayAt = (ms: number) => nyse.dateOf(ms);
  // The store's own methods, each call noted by the day of its window.
  const store: BarStore = {
    getBars: (...args) => inner.getBars(...args),
    putBars: (...args) => inner.putBars(...args),
    getBarColumns: (...args) => inner.getBarColumns(...args),
    getManyBarColumns: async (symbols, interval, startMs, endMs) => {
      events.push(`read ${dayAt(startMs)}`);
      return new Map(await Promise.all(symbols.map(async (symbol) => [symbol, await inner.getBarColumns(symbol, interval, startMs, endMs)] as const)));
    },
    prefetch: async (interval, startMs, endMs) => {
      t.is(interval, '1m');
      t.deepEqual([startMs, endMs], [nyse.session(dayAt(startMs))!.open, nyse.session(dayAt(startMs))!.close]);
      events.push(`prefetch ${dayAt(startMs)}`);
    },
  };
  // One warm-up day (03-01) before the three traded ones.
  await runBacktest({ ...(await options()), store, strategy: defineStrategy({ ...dailyFlat, warmup: { days: 1 } }) });
  const prefetched = events.filter((event) => event.startsWith('prefetch'));
  t.deepEqual(prefetched, ['prefetch 2024-03-04', 'prefetch 2024-03-05', 'prefetch 2024-03-06']);
  for (const day of ['2024-03-04', '2024-03-05', '2024-03-06']) t.true(events.indexOf(`prefetch ${day}`) < events.indexOf(`read ${day}`), day);
});
