/**
 * The deepest fall from a running peak, as a fraction of that peak (0.12: 12 % below it). The
 * starting equity is the first peak. 0 if equity never falls.
 */
export function maxDrawdown(initialEquity: number, equities: readonly number[]): number {
  let peak = initialEquity;
  let deepest = 0;
  for (const equity of equities) {
    if (equity > peak) peak = equity;
    else if (peak > 0) deepest = Math.max(deepest, (peak - equity) / peak);
  }
  return deepest;
}

/**
 * The longest drawdown in trading days: the most consecutive daily closes below the running
 * peak of closing equity (the starting equity is the first peak). A drawdown still open at the
 * end counts its days so far. Dips that recover by the close do not count; this is the longest
 * drawdown, not necessarily the deepest one's length.
 */
export function maxDrawdownDays(initialEquity: number, closes: readonly number[]): number {
  let peak = initialEquity;
  let peakDay = 0;
  let longest = 0;
  closes.forEach((equity, i) => {
    const day = i + 1;
    if (equity >= peak) {
      peak = equity;
      peakDay = day;
    } else {
      longest = Math.max(longest, day - peakDay);
    }
  });
  return longest;
}
