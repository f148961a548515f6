/**
 * Annualised Sharpe ratio of daily returns in excess of `rfDaily`: mean / sample standard
 * deviation (n − 1) × √periodsPerYear. `null` with fewer than two returns or no deviation.
 */
export function sharpeRatio(returns: readonly number[], rfDaily: number, periodsPerYear: number): number | null {
  if (returns.length < 2) return null;
  const excess = returns.map((r) => r - rfDaily);
  const mean = average(excess);
  const variance = excess.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (excess.length - 1);
  if (!(variance > 0)) return null;
  return (mean / Math.sqrt(variance)) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sortino ratio: mean excess return / downside deviation × √periodsPerYear, the
 * downside deviation being √(Σ min(0, excess)² / n) over all n returns. `null` with fewer than
 * two returns or no return below `rfDaily`.
 */
export function sortinoRatio(returns: readonly number[], rfDaily: number, periodsPerYear: number): number | null {
  if (returns.length < 2) return null;
  const excess = returns.map((r) => r - rfDaily);
  const downside = excess.reduce((sum, x) => sum + Math.min(0, x) ** 2, 0) / excess.length;
  if (!(downside > 0)) return null;
  return (average(excess) / Math.sqrt(downside)) * Math.sqrt(periodsPerYear);
}

function average(values: readonly number[]): number {
  return values.reduce((sum, x) => sum + x, 0) / values.length;
}
