/** Day-over-day returns of closing equities, the first against the starting equity. */
export function dailyReturns(initialEquity: number, closes: readonly number[]): number[] {
  const returns: number[] = [];
  let previous = initialEquity;
  for (const equity of closes) {
    returns.push(equity / previous - 1);
    previous = equity;
  }
  return returns;
}

/** The daily rate that compounds to `annualRate` over `periodsPerYear` days. */
export function dailyRate(annualRate: number, periodsPerYear: number): number {
  return (1 + annualRate) ** (1 / periodsPerYear) - 1;
}
