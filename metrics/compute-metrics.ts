import type { Fill } from '../broker/fill.js';
import type { RoundTrip } from '../broker/fifo-lots.js';
import { fromUnits, toUnits } from '../broker/money.js';
import type { EquityPoint } from '../broker/simulated-broker.js';
import { dailyRate, dailyReturns } from './daily-returns.js';
import { maxDrawdown, maxDrawdownDays } from './drawdown.js';
import { MetricsError } from './metrics-error.js';
import { sharpeRatio, sortinoRatio } from './risk-ratios.js';

export const TRADING_DAYS_PER_YEAR = 252;

/** Equity at one trading day's close. */
export interface DailyEquity {
  /** `YYYY-MM-DD`, exchange-local. */
  date: string;
  equity: number;
}

export interface MetricsInput {
  initialEquity: number;
  /** Equity after each simulated minute, in time order. */
  minuteEquity: readonly Pick<EquityPoint, 't' | 'equity' | 'grossExposure'>[];
  /** Equity at each trading day's close, in order: one per day of the run. */
  dailyEquity: readonly DailyEquity[];
  fills: readonly Fill[];
  trades: readonly RoundTrip[];
  /** Annual risk-free rate as a fraction (0.04 = 4 %). Default 0. */
  riskFreeRate?: number;
}

/** Every ratio is a fraction (0.05 = 5 %); `null` where a ratio is undefined for the run. */
export interface Metrics {
  totalReturn: number;
  cagr: number;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number;
  maxDrawdownDays: number;
  winRate: number | null;
  profitFactor: number | null;
  exposure: number;
  trades: number;
  turnover: number;
  commissions: number;
  finalEquity: number;
}

/** The run's metrics. A pure function of its input: no clock, no randomness. README, "Broker: what results mean", has the formulas. */
export function computeMetrics(input: MetricsInput): Metrics {
  const { initialEquity, minuteEquity, dailyEquity, fills, trades } = input;
  if (!(Number.isFinite(initialEquity) && initialEquity > 0)) {
    throw new MetricsError('INVALID_INITIAL_EQUITY', `Metrics need a positive starting equity, got ${String(initialEquity)}.`);
  }
  const closes = dailyEquity.map((d) => d.equity);
  const finalEquity = closes.at(-1) ?? minuteEquity.at(-1)?.equity ?? initialEquity;
  const totalReturn = finalEquity / initialEquity - 1;
  const returns = dailyReturns(initialEquity, closes);
  const rfDaily = dailyRate(input.riskFreeRate ?? 0, TRADING_DAYS_PER_YEAR);
  const wins = trades.filter((trip) => trip.netPnl > 0);
  const grossWin = sumMoney(wins.map((trip) => trip.netPnl));
  const grossLoss = -sumMoney(trades.filter((trip) => trip.netPnl < 0).map((trip) => trip.netPnl));
  return {
    totalReturn,
    cagr: compoundAnnualGrowth(initialEquity, finalEquity, closes.length),
    sharpe: sharpeRatio(returns, rfDaily, TRADING_DAYS_PER_YEAR),
    sortino: sortinoRatio(returns, rfDaily, TRADING_DAYS_PER_YEAR),
    maxDrawdown: maxDrawdown(initialEquity, minuteEquity.length > 0 ? minuteEquity.map((p) => p.equity) : closes),
    maxDrawdownDays: maxDrawdownDays(initialEquity, closes),
    winRate: trades.length === 0 ? null : wins.length / trades.length,
    profitFactor: grossLoss === 0 ? null : grossWin / grossLoss,
    exposure: minuteEquity.length === 0 ? 0 : minuteEquity.filter((p) => p.grossExposure > 0).length / minuteEquity.length,
    trades: trades.length,
    turnover: sumMoney(fills.map((fill) => fill.qty * fill.price)) / initialEquity,
    commissions: sumMoney(fills.map((fill) => fill.commission)),
    finalEquity,
  };
}

/** (final / initial)^(1 / years) − 1, a year being 252 trading days of the run. */
function compoundAnnualGrowth(initialEquity: number, finalEquity: number, days: number): number {
  if (days === 0) return 0;
  if (finalEquity <= 0) return -1;
  return (finalEquity / initialEquity) ** (TRADING_DAYS_PER_YEAR / days) - 1;
}

/** Sums amounts in exact money units, so the total does not depend on float rounding of partial sums. */
function sumMoney(amounts: readonly number[]): number {
  return fromUnits(amounts.reduce((sum, amount) => sum + toUnits(amount), 0));
}
