import { fc, testProp } from '@fast-check/ava';
import { toUnits } from '../../broker/money.js';
import { nyse } from '../../calendar/nyse.js';
import { runBacktest, type RunBacktestOptions } from '../../run/run-backtest.js';
import type { BacktestResult } from '../../run/backtest-result.js';
import { defineStrategy } from '../../run/strategy.js';
import { dailyFlat, syntheticStore } from './run-fixture.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const DAYS = nyse.tradingDays('2024-03-04', '2024-03-07');
const MINUTE_MS = 60_000;

/** Fills without their order ids (each run numbers its orders from o1). */
function fillsOf(result: BacktestResult) {
  return result.fills.map(({ orderId: _id, ...fill }) => fill);
}

/** Each minute's equity as a change from the day's opening equity, in money units. */
function equityMoves(result: BacktestResult) {
  return result.days.flatMap((day) => {
    const session = nyse.session(day.date)!;
    return result.equity.minutes.filter((p) => p.t > session.open && p.t <= session.close).map((p) => [p.t, toUnits(p.equity) - toUnits(day.startEquity)]);
  });
}

testProp(
  'a multi-day run of a strategy that flattens daily and keeps no state is the concatenation of one-day runs',
  [fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 7, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: DAYS.length })],
  async (t, seed, every, hold, days) => {
    const from = DAYS[0]!;
    const to = DAYS[days - 1]!;
    const store = await syntheticStore(['AAA', 'BBB'], from, to, { seed });
    const base: RunBacktestOptions = { strategy: dailyFlat, from, to, store, cash: 50_000, params: { every, hold }, commission: { perShare: 0.01, minimum: 1 }, logger: silent };
    const whole = await runBacktest(base);
    const single: BacktestResult[] = [];
    for (const date of DAYS.slice(0, days)) single.push(await runBacktest({ ...base, from: date, to: date }));
    t.true(whole.fills.length > 0);
    t.deepEqual(fillsOf(whole), single.flatMap(fillsOf));
    t.deepEqual(equityMoves(whole), single.flatMap(equityMoves));
    t.deepEqual(whole.days.map((d) => [d.date, d.bars, d.fills, d.pnl]), single.flatMap((r) => r.days.map((d) => [d.date, d.bars, d.fills, d.pnl])));
  },
  { numRuns: 4 },
);

/**
 * Trades X on X's own bars and the session's data of X only, whatever its position, and
 * cancels what did not fill within a bar: after the catch-up it cannot tell whether X was
 * there from the open.
 */
function ownBarsOnly(addAt: number | undefined) {
  return defineStrategy({
    name: 'own-bars',
    symbols: addAt === undefined ? ['YYY', 'XXX'] : ['YYY'],
    streams: ['1m', '5m'],
    onBar(ctx, bar) {
      if (addAt !== undefined && bar.symbol === 'YYY' && bar.interval === '1m' && bar.t + MINUTE_MS === addAt) void ctx.session.addSymbol('XXX');
      if (bar.symbol !== 'XXX') return;
      // An order lives one bar: what is open after the catch-up was sent after it, in either run.
      if (bar.interval === '1m') for (const order of ctx.broker.openOrders('XXX')) ctx.broker.cancel(order.id);
      const recent = ctx.session.data.getLastNBars('XXX', 4, '5m');
      if (recent.length === 0) return;
      const mean = recent.reduce((sum, b) => sum + b.c, 0) / recent.length;
      if (bar.interval === '5m') ctx.broker.order({ symbol: 'XXX', side: bar.c > mean ? 'buy' : 'sell', qty: 5, type: 'limit', limitPrice: Math.round(mean * 100) / 100, tif: 'day' });
      else if (bar.c > mean * 1.001) ctx.broker.buy('XXX', 1);
      else if (bar.c < mean * 0.999) ctx.broker.sell('XXX', 1);
    },
  });
}

testProp(
  'as if present from the open: after its catch-up, X makes the same fills whether added mid-day or configured',
  [fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 3, max: 380 })],
  async (t, seed, minute) => {
    const date = '2024-03-05';
    const session = nyse.session(date)!;
    const addAt = session.open + minute * MINUTE_MS;
    const store = await syntheticStore(['XXX', 'YYY'], date, date, { seed, missingRate: 0 });
    const base = { from: date, to: date, store, cash: 1_000_000, commission: { perShare: 0.005, minimum: 1 }, logger: silent };
    const configured = await runBacktest({ ...base, strategy: ownBarsOnly(undefined) });
    const added = await runBacktest({ ...base, strategy: ownBarsOnly(addAt) });
    const catchUp = added.days[0]!.pauses.find((p) => p.reason === 'add');
    t.truthy(catchUp, 'X was added');
    const after = (result: BacktestResult) => fillsOf(result).filter((f) => f.symbol === 'XXX' && f.t > catchUp!.simTime);
    t.true(after(configured).length > 0);
    t.deepEqual(after(added), after(configured));
    t.true(fillsOf(added).every((f) => f.symbol !== 'XXX' || f.t > catchUp!.simTime), 'no fill of X from before it was added');
  },
  { numRuns: 6 },
);
