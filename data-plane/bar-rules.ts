import { MINUTE_MS } from '../model/bar.js';
import type { DropCounts } from '../model/counts.js';

/** The trading window bars must fall in: `open <= t < close`. */
export interface BarWindow {
  open: number;
  close: number;
}

/**
 * Why a 1m bar may not enter a session, in the order the rules are judged, or undefined when it
 * may. Stored days and live feeds are judged alike; order (`outOfOrder`) is the caller's to judge,
 * since a day and a feed keep their own last bar.
 */
export function barProblem(t: number, o: number, h: number, l: number, c: number, v: number, window: BarWindow): Exclude<keyof DropCounts, 'outOfOrder'> | undefined {
  if (!(Number.isFinite(t) && Number.isFinite(o) && Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(c) && Number.isFinite(v))) return 'nonFinite';
  if (o < 0 || h < 0 || l < 0 || c < 0 || v < 0) return 'negative';
  if (h < l) return 'highBelowLow';
  if (t % MINUTE_MS !== 0) return 'misaligned';
  if (t < window.open || t >= window.close) return 'outsideHours';
  return undefined;
}
