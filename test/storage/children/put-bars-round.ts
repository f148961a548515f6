import type { Bar } from '../../../model/bar.js';

export const PARTITION_START = Date.UTC(2024, 2, 1);
export const STEP = 2_000;
/** March has 44 640 minutes: rounds stop growing there so every bar stays in one partition. */
export const MAX_BARS = 44_600;

/** Round `n` writes min((n + 1) * STEP, MAX_BARS) bars, all with close `n`. */
export function roundBars(round: number): Bar[] {
  const count = Math.min((round + 1) * STEP, MAX_BARS);
  return Array.from({ length: count }, (_, i) => ({ t: PARTITION_START + i * 60_000, o: round, h: round + 1, l: round - 1, c: round, v: i }));
}
