/**
 * Money is counted in integer units of 1/10 000 of the account currency (0.0001, the smallest
 * US equity tick), so cash, positions and commissions add up exactly: sums of integers below
 * 2^53 are exact, sums of binary fractions are not. Exact while every amount stays below
 * about 9·10^11 in the account currency.
 */
export const MONEY_SCALE = 10_000;

/** A price or amount to the nearest unit. */
export function toUnits(amount: number): number {
  return Math.round(amount * MONEY_SCALE);
}

export function fromUnits(units: number): number {
  return units / MONEY_SCALE;
}

/**
 * A computed cost (commission, slippage) rounded up to a whole unit: against the trader. The
 * tolerance keeps float noise (0.3 bps of 1 000 000 units is 30.000000000000004) from costing
 * a unit.
 */
export function ceilUnits(units: number): number {
  return Math.ceil(units - 1e-7);
}
