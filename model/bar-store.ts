import type { Bar, Interval } from './bar.js';
import type { BarColumnsView } from './bar-columns-view.js';

/**
 * Where a session reads history from. Implementations: `MemoryBarStore`, `LowdbBarStore`,
 * `ArrowBarStore`.
 */
export interface BarStore {
  /** Bars of one symbol and interval with `startMs <= t < endMs`, sorted by `t`. */
  getBars(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<Bar[]>;
  /** Merge bars in: the result stays sorted with one bar per `t`; a new bar replaces an old one. */
  putBars(symbol: string, interval: Interval, bars: Bar[]): Promise<void>;
  /**
   * Optional: the same bars as `getBars`, as columns, for stores that hold them that way. The
   * session loads through it when present: no object per bar. The session reads the columns as
   * they are, for as long as it or a run's history keeps the day (its 1m series is a view of
   * them), so a store must never write into columns it has handed out (the stores here write a
   * new series on every `putBars`).
   */
  getBarColumns?(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<BarColumnsView>;
  /**
   * Optional: `getBarColumns` of many symbols in one read, each symbol's columns under its name
   * (empty columns for a symbol without bars). A backtest session reads the symbols it loads at
   * one moment through it, one call per window; when it throws, the session reads those symbols
   * one by one, so a failure stays the failing symbol's.
   */
  getManyBarColumns?(symbols: readonly string[], interval: Interval, startMs: number, endMs: number): Promise<ReadonlyMap<string, BarColumnsView>>;
  /**
   * Optional: a hint that the bars of `interval` with `startMs <= t < endMs` will be read soon —
   * a run's next trading day, given while the current one streams. A store that reads files may
   * start reading them now. It resolves once done and never rejects; what a later read returns
   * is the same with or without it.
   */
  prefetch?(interval: Interval, startMs: number, endMs: number): Promise<void>;
}
