import type { Bar, Interval } from '../data-plane/bar.js';

/**
 * Where a session reads history from. Implementations: `MemoryBarStore`, `LowdbBarStore`.
 */
export interface BarStore {
  /** Bars of one symbol and interval with `startMs <= t < endMs`, sorted by `t`. */
  getBars(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<Bar[]>;
  /** Merge bars in: the result stays sorted with one bar per `t`; a new bar replaces an old one. */
  putBars(symbol: string, interval: Interval, bars: Bar[]): Promise<void>;
}
