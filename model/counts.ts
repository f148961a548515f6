import type { Interval } from './bar.js';

/** Bars per interval: caught up, streamed. */
export type IntervalCounts = Partial<Record<Interval, number>>;

/** Why a stored bar was not taken into a session. */
export interface DropCounts {
  outsideHours: number;
  nonFinite: number;
  negative: number;
  highBelowLow: number;
  outOfOrder: number;
  misaligned: number;
}

export function emptyDropCounts(): DropCounts {
  return { outsideHours: 0, nonFinite: 0, negative: 0, highBelowLow: 0, outOfOrder: 0, misaligned: 0 };
}

export function totalDropped(counts: DropCounts): number {
  return counts.outsideHours + counts.nonFinite + counts.negative + counts.highBelowLow + counts.outOfOrder + counts.misaligned;
}
