import test from 'ava';
import { computeMetrics, type MetricsInput } from '../../metrics/compute-metrics.js';
import { MetricsError } from '../../metrics/metrics-error.js';
import { buildRoundTrips } from '../../metrics/round-trips.js';
import { FILLS } from './fills.js';

const closes = [110_000, 99_000, 108_900, 119_790]; // daily returns +10 %, −10 %, +10 %, +10 %
const minute = (equity: number, grossExposure: number) => ({ t: 0, equity, grossExposure });

const input: MetricsInput = {
  initialEquity: 100_000,
  minuteEquity: [minute(105_000, 1), minute(110_000, 0), minute(95_000, 1), minute(99_000, 0), minute(108_900, 0), minute(119_790, 5)],
  dailyEquity: closes.map((equity, i) => ({ date: `2024-03-0${i + 1}`, equity })),
  fills: FILLS,
  trades: buildRoundTrips(FILLS),
};

const close = (t: { true: (v: boolean, m?: string) => void }, actual: number | null, expected: number) =>
  t.true(actual !== null && Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

test('returns, risk ratios and drawdowns of a four-day run', (t) => {
  const m = computeMetrics(input);
  close(t, m.totalReturn, 0.1979);
  close(t, m.cagr, 1.1979 ** (252 / 4) - 1);
  // mean 0.05, sample deviation 0.1; downside deviation √(0.1² / 4) = 0.05
  close(t, m.sharpe, 0.5 * Math.sqrt(252));
  close(t, m.sortino, Math.sqrt(252));
  close(t, m.maxDrawdown, 15_000 / 110_000); // the intraday low of 95 000, not the daily close of 99 000
  t.is(m.maxDrawdownDays, 2);
  t.is(m.finalEquity, 119_790);
});

test('trade statistics judge round trips net of commission', (t) => {
  const m = computeMetrics(input);
  t.is(m.trades, 5);
  t.is(m.winRate, 4 / 5);
  close(t, m.profitFactor, (497 + 148 + 98.5 + 49) / 52);
  t.is(m.commissions, 9.5);
  t.is(m.turnover, (1000 + 1200 + 500 + 2250 + 450 + 1400 + 650) / 100_000);
  t.is(m.exposure, 3 / 6);
});

test('a risk-free rate is taken out of each daily return, compounded to 252 days', (t) => {
  const m = computeMetrics({ ...input, riskFreeRate: 0.05 });
  close(t, m.sharpe, ((0.05 - (1.05 ** (1 / 252) - 1)) / 0.1) * Math.sqrt(252));
});

test('a drawdown still open at the end counts its days so far', (t) => {
  const daily = (values: number[]) => values.map((equity, i) => ({ date: String(i), equity }));
  t.is(computeMetrics({ ...input, minuteEquity: [], dailyEquity: daily([100, 90, 95, 99]), initialEquity: 100 }).maxDrawdownDays, 3);
  t.is(computeMetrics({ ...input, minuteEquity: [], dailyEquity: daily([99, 101, 100]), initialEquity: 100 }).maxDrawdownDays, 1);
  t.is(computeMetrics({ ...input, minuteEquity: [], dailyEquity: daily([101, 102]), initialEquity: 100 }).maxDrawdownDays, 0);
});

test('without minute equity, the drawdown is measured on daily closes', (t) => {
  close(t, computeMetrics({ ...input, minuteEquity: [] }).maxDrawdown, 11_000 / 110_000);
});

test('ratios that are undefined for a run are null, not NaN or Infinity', (t) => {
  const empty = computeMetrics({ initialEquity: 1_000, minuteEquity: [], dailyEquity: [], fills: [], trades: [] });
  t.deepEqual(empty, {
    totalReturn: 0,
    cagr: 0,
    sharpe: null,
    sortino: null,
    maxDrawdown: 0,
    maxDrawdownDays: 0,
    winRate: null,
    profitFactor: null,
    exposure: 0,
    trades: 0,
    turnover: 0,
    commissions: 0,
    finalEquity: 1_000,
  });
  const allUp = computeMetrics({ ...input, dailyEquity: [{ date: 'a', equity: 101_000 }, { date: 'b', equity: 102_010 }], trades: input.trades.filter((trip) => trip.netPnl > 0) });
  t.is(allUp.sharpe, null); // no deviation
  t.is(allUp.sortino, null); // no day below the risk-free rate
  t.is(allUp.profitFactor, null); // no losing trade
  t.is(allUp.winRate, 1);
});

test('a starting equity that is not positive is INVALID_INITIAL_EQUITY', (t) => {
  const error = t.throws(() => computeMetrics({ ...input, initialEquity: 0 }), { instanceOf: MetricsError });
  t.is(error.code, 'INVALID_INITIAL_EQUITY');
});

test('a trade that earns less than its commissions is a losing trade', (t) => {
  const trades = buildRoundTrips([
    { orderId: 'o1', symbol: 'TSLA', side: 'buy', qty: 1, price: 100, t: 0, commission: 1 },
    { orderId: 'o2', symbol: 'TSLA', side: 'sell', qty: 1, price: 100.5, t: 60_000, commission: 1 },
  ]);
  t.is(trades[0]!.pnl, 0.5);
  const m = computeMetrics({ ...input, trades });
  t.is(m.winRate, 0);
  t.is(m.profitFactor, 0);
});
