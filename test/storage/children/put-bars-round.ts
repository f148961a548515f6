import type { Bar } from '../../../model/bar.js';
import type { LockTimings } from '../../../storage/bars/partition-lock.js';

export const PARTITION_START = Date.UTC(2024, 2, 1);
export const STEP = 2_000;
/** March has 44 640 minutes: rounds stop growing there so every bar stays in one partition. */
export const MAX_BARS = 44_600;
/** Rounds of each concurrent writer. */
export const ROUNDS = 40;

/**
 * proper-lockfile's shortest stale time, so that a killed child's lock is taken over after 2 s
 * rather than the store's default 10 s; the heartbeat and the wait scale with it.
 */
export const TEST_LOCK_TIMINGS: LockTimings = { staleMs: 2_000, updateMs: 400, waitMs: 60_000 };

/** Round `n` writes min((n + 1) * STEP, MAX_BARS) bars, all with close `n`. */
export function roundBars(round: number): Bar[] {
  const count = Math.min((round + 1) * STEP, MAX_BARS);
  return Array.from({ length: count }, (_, i) => ({ t: PARTITION_START + i * 60_000, o: round, h: round + 1, l: round - 1, c: round, v: i }));
}

/** Writer `id`'s round `n`: a minute of its own (close `id`; room for 16 writers), and minute 0, which every writer rewrites. */
export function writerBars(id: number, round: number): Bar[] {
  const own = { t: PARTITION_START + (1 + round * 16 + id) * 60_000, o: id, h: id + 1, l: id, c: id, v: round };
  return [{ t: PARTITION_START, o: id, h: id + 1, l: id, c: id, v: round }, own];
}

/** The end of PARTITION_START's UTC day: the Arrow store's partition. */
export const DAY_END = PARTITION_START + 86_400_000;
export const DAY_STEP = 200;

/** Round `n` of a one-day rewrite: min((n + 1) * DAY_STEP, 1440) bars from the day's start, all with close `n`. */
export function dayRoundBars(round: number): Bar[] {
  const count = Math.min((round + 1) * DAY_STEP, 1440);
  return Array.from({ length: count }, (_, i) => ({ t: PARTITION_START + i * 60_000, o: round, h: round + 1, l: round - 1, c: round, v: i }));
}

/** Days each overlapping writer writes, and how far apart the first days of writers 0 and 1 are: they share OVERLAP_DAYS - OVERLAP_SHIFT days. */
export const OVERLAP_DAYS = 6;
export const OVERLAP_SHIFT = 3;

/** The UTC days writer `id` of the overlapping-writers test writes, as day numbers from PARTITION_START. */
export function overlapDays(id: number): number[] {
  return Array.from({ length: OVERLAP_DAYS }, (_, k) => id * OVERLAP_SHIFT + k);
}

/** Writer `id`'s round `n`: in each of its days, a minute of its own (room for 2 writers) with close `id`. */
export function overlapBars(id: number, round: number): Bar[] {
  return overlapDays(id).map((day) => ({ t: PARTITION_START + day * 86_400_000 + (round * 2 + id) * 60_000, o: id, h: id + 1, l: id, c: id, v: round }));
}
