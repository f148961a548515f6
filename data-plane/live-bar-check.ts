import { MINUTE_MS, type Bar } from '../model/bar.js';
import type { BarWindow } from './day-bars.js';
import type { DropCounts } from '../model/counts.js';

/**
 * Why a live bar cannot be taken, by the same rules `validateDayBars` applies to stored bars
 * (order is the engine's business), or undefined when it is fine.
 */
export function liveBarProblem(bar: Bar, window: BarWindow): keyof DropCounts | undefined {
  const { t, o, h, l, c, v } = bar;
  if (!(Number.isFinite(t) && Number.isFinite(o) && Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(c) && Number.isFinite(v))) return 'nonFinite';
  if (o < 0 || h < 0 || l < 0 || c < 0 || v < 0) return 'negative';
  if (h < l) return 'highBelowLow';
  if (t % MINUTE_MS !== 0) return 'misaligned';
  if (t < window.open || t >= window.close) return 'outsideHours';
  return undefined;
}
