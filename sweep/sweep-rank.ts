import type { Metrics } from '../metrics/compute-metrics.js';
import { SweepError } from './sweep-error.js';

export type RankMetric = keyof Metrics;

const METRICS: readonly RankMetric[] = ['totalReturn', 'cagr', 'sharpe', 'sortino', 'maxDrawdown', 'maxDrawdownDays', 'winRate', 'profitFactor', 'exposure', 'trades', 'turnover', 'commissions', 'finalEquity'];
/** Where less is better; everywhere else more is. */
const LOWER_IS_BETTER = new Set<RankMetric>(['maxDrawdown', 'maxDrawdownDays', 'commissions', 'turnover']);

export function assertRankMetric(value: string): RankMetric {
  if (!(METRICS as readonly string[]).includes(value)) {
    throw new SweepError('INVALID_OPTION', `Cannot rank by ${JSON.stringify(value)}: use one of ${METRICS.join(', ')}.`, { rank: value });
  }
  return value as RankMetric;
}

/** Best first; a metric that is undefined for a run (`null`) ranks last; ties keep grid order. */
export function compareBy(metric: RankMetric): (a: { point: number; metrics: Metrics }, b: { point: number; metrics: Metrics }) => number {
  const sign = LOWER_IS_BETTER.has(metric) ? 1 : -1;
  return (a, b) => {
    const x = a.metrics[metric];
    const y = b.metrics[metric];
    if (x === y) return a.point - b.point;
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (x - y) || a.point - b.point;
  };
}

export function lowerIsBetter(metric: RankMetric): boolean {
  return LOWER_IS_BETTER.has(metric);
}
