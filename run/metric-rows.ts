import type { Metrics } from '../metrics/compute-metrics.js';

/** The metrics as a person reads them, in one order: the terminal's table and the report's. */
export function metricRows(metrics: Metrics): Array<[label: string, value: string]> {
  return [
    ['total return', percent(metrics.totalReturn)],
    ['CAGR', percent(metrics.cagr)],
    ['Sharpe', ratio(metrics.sharpe)],
    ['Sortino', ratio(metrics.sortino)],
    ['max drawdown', percent(metrics.maxDrawdown)],
    ['max drawdown days', String(metrics.maxDrawdownDays)],
    ['win rate', percent(metrics.winRate)],
    ['profit factor', ratio(metrics.profitFactor)],
    ['exposure', percent(metrics.exposure)],
    ['trades', String(metrics.trades)],
    ['turnover', ratio(metrics.turnover)],
    ['commissions', money(metrics.commissions)],
    ['final equity', money(metrics.finalEquity)],
  ];
}

export function percent(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(2)} %`;
}

function ratio(x: number | null): string {
  return x === null ? '—' : x.toFixed(2);
}

export function money(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
