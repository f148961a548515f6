import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { silentLogger } from '../../model/logger.js';
import type { BacktestResult } from '../../run/backtest-result.js';
import type { CompletedDay } from '../../run/day-checkpoint.js';
import { runBacktest, type RunBacktestOptions } from '../../run/run-backtest.js';
import { isRunError } from '../../run/run-error.js';
import { defineStrategy } from '../../run/strategy.js';
import { dailyFlat, syntheticStore } from './run-fixture.js';

// A run of N days against the same run made in two: k days with checkpoints, then, from those
// checkpoints read back from JSON, a fresh run that starts at day k+1. The second must run only
// the days after k and end with the result of the run made in one piece, to the byte.

const FROM = '2024-03-04';
const TO = '2024-03-12';
const MINUTE_MS = 60_000;
const store = await syntheticStore(['AAA', 'BBB', 'CCC'], '2024-02-27', TO, { seed: 9 });

interface Carried {
  /** 1m bars seen since the run began: read on every later day. */
  seen: number;
  /** Per symbol, the closes of the last bars seen, oldest first. */
  closes: Record<string, number[]>;
  /** The GTC orders still working, by id: some are cancelled days later. */
  working: string[];
  log: Array<{ date: string; history: number; cash: number }>;
}

type Params = { every: number; hold: number; size: number; addDay: number; removeDay: number };

/**
 * Carries everything a run can carry: positions held overnight, GTC limit orders (cancelled by
 * id on a later day, when they may have filled long ago), a symbol added mid-day and removed
 * on a later day with its position flattened, state read on later days, `ctx.history` and cash
 * in its decisions, and a `result` that reads the whole run's state.
 */
const carrying = defineStrategy({
  name: 'carrying',
  params: { every: 17, hold: 40, size: 10, addDay: 1, removeDay: 3 } as Params,
  symbols: ['AAA', 'BBB'],
  streams: ['1m', '5m'],
  warmup: { days: 2 },
  init: (ctx): Carried => ({ seen: 0, closes: {}, working: [], log: [{ date: 'init', history: ctx.history('AAA', '5m', 1000).length, cash: ctx.broker.cash }] }),
  onDayStart(ctx) {
    const history = ctx.history('AAA', '5m', 1000);
    ctx.state.log.push({ date: ctx.day.date, history: history.length + (history.at(-1)?.c ?? 0), cash: ctx.broker.cash });
    if (ctx.day.index === ctx.params.removeDay && ctx.session.listSymbols().some((s) => s.symbol === 'CCC' && s.status === 'active')) {
      void ctx.session.removeSymbol('CCC', { flatten: true });
    }
  },
  onBar(ctx, bar) {
    if (bar.interval !== '1m') return;
    const { state, params, broker } = ctx;
    state.seen++;
    const closes = (state.closes[bar.symbol] ??= []);
    closes.push(bar.c);
    if (closes.length > 30) closes.shift();
    const minute = (bar.t - ctx.day.open) / MINUTE_MS;
    if (ctx.day.index === params.addDay && minute === 90 && bar.symbol === 'AAA') void ctx.session.addSymbol('CCC', { streams: ['1m'] }).catch(() => undefined);
    if ((state.seen + minute) % params.every !== 0) return;
    const { qty } = broker.position(bar.symbol);
    const mean = closes.reduce((sum, c) => sum + c, 0) / closes.length;
    const history = ctx.history(bar.symbol, '1m', 50);
    const drift = history.length > 0 ? bar.c - history[0]!.c : 0;
    if (qty === 0 && broker.cash > 0) {
      if (bar.c >= mean || drift > 0) broker.buy(bar.symbol, params.size);
      else broker.sell(bar.symbol, params.size);
    } else if (qty !== 0 && state.seen % params.hold < params.every) {
      broker.close(bar.symbol);
    }
    if (state.seen % 3 === 0) state.working.push(broker.buy(bar.symbol, params.size, { type: 'limit', limitPrice: +(bar.c * 0.995).toFixed(2), tif: 'gtc' }).id);
    if (state.working.length > 4) broker.cancel(state.working.shift()!);
  },
  result: (ctx) => ({ seen: ctx.state.seen, log: ctx.state.log }),
  saveState: (ctx) => ctx.state,
  loadState: (_ctx, saved) => saved as Carried,
});

const paramsArb = fc.record({
  every: fc.integer({ min: 7, max: 40 }),
  hold: fc.integer({ min: 20, max: 200 }),
  size: fc.integer({ min: 1, max: 50 }),
  addDay: fc.integer({ min: 0, max: 3 }),
  removeDay: fc.integer({ min: 1, max: 6 }),
});

async function inTwo(base: RunBacktestOptions, split: number): Promise<{ result: BacktestResult; ran: string[] }> {
  const completed: CompletedDay[] = [];
  await runBacktest({ ...base, checkpoints: true, onDay: (summary, _done, _total, checkpoint) => completed.push({ summary, ...(checkpoint ? { checkpoint } : {}) }) });
  const kept = JSON.parse(JSON.stringify(completed.slice(0, split))) as CompletedDay[];
  const ran: string[] = [];
  const result = await runBacktest({ ...base, resume: kept, onDayStart: (date) => ran.push(date) });
  return { result, ran };
}

const json = (result: BacktestResult) => JSON.stringify(result);

testProp(
  'a run restored from the checkpoints of its first k days runs only the days after and ends as the run made in one piece',
  [paramsArb, fc.integer({ min: 1, max: 7 })],
  async (t, params, split) => {
    const base: RunBacktestOptions = { strategy: carrying, from: FROM, to: TO, store, params, cash: 25_000, commission: { perShare: 0.01, minimum: 1 }, slippage: { bps: 2 }, logger: silentLogger };
    const whole = await runBacktest(base);
    const { result, ran } = await inTwo(base, split);
    t.deepEqual(ran, whole.days.slice(split).map((day) => day.date), 'only the days after the kept ones ran');
    t.is(json(result), json(whole));
    t.true(whole.fills.length > 0);
  },
  { numRuns: 6 },
);

testProp(
  'a carry: none strategy without hooks is restored from its checkpoints too',
  [fc.integer({ min: 1, max: 6 }), fc.integer({ min: 5, max: 40 })],
  async (t, split, every) => {
    const base: RunBacktestOptions = { strategy: dailyFlatNone, from: FROM, to: TO, store, params: { every, hold: 3 }, cash: 10_000, logger: silentLogger };
    const whole = await runBacktest(base);
    const { result, ran } = await inTwo(base, split);
    t.is(ran.length, whole.days.length - split);
    t.is(json(result), json(whole));
  },
  { numRuns: 4 },
);

const dailyFlatNone = defineStrategy({ ...dailyFlat, symbols: ['AAA', 'BBB'], carry: 'none' });

test('a run given every day kept runs none and ends as the run made in one piece', async (t) => {
  const base: RunBacktestOptions = { strategy: carrying, from: FROM, to: TO, store, cash: 25_000, logger: silentLogger };
  const whole = await runBacktest(base);
  const { result, ran } = await inTwo(base, whole.days.length);
  t.deepEqual(ran, []);
  t.is(json(result), json(whole));
});

test('a strategy that carries state without saveState/loadState cannot be restored: a resume runs its days again', async (t) => {
  const { saveState: _save, loadState: _load, ...spec } = carrying;
  const unsaved = defineStrategy(spec);
  const completed: CompletedDay[] = [];
  await runBacktest({ strategy: unsaved, from: FROM, to: '2024-03-05', store, cash: 25_000, logger: silentLogger, checkpoints: true, onDay: (summary, _d, _t, checkpoint) => completed.push({ summary, ...(checkpoint ? { checkpoint } : {}) }) });
  t.true(completed.every((day) => day.checkpoint === undefined), 'no checkpoint is made for it');
  const error = await t.throwsAsync(runBacktest({ strategy: unsaved, from: FROM, to: '2024-03-05', store, cash: 25_000, logger: silentLogger, resume: completed }));
  t.true(isRunError(error, 'INVALID_OPTION'));
  t.regex(error!.message, /carries its state across days and has no saveState\/loadState/);
});

test('saveState without loadState is refused when the strategy is defined', (t) => {
  const error = t.throws(() => defineStrategy({ name: 'half', saveState: () => 1 }));
  t.true(isRunError(error, 'INVALID_STRATEGY'));
  t.regex(error!.message, /saveState and loadState go together/);
});
