import type { Bar, Interval } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import { passesBarRules, vouch } from '../../data-plane/bar-rules.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import type { BarStore } from '../../model/bar-store.js';
import { assertValidSymbol } from '../../model/symbol-name.js';
import { assertInterval, assertSeries, normalizeBars, queryWindow } from './bar-store-arguments.js';
import { barsOf, columnsInWindow, columnsOf, mergeBars } from './bar-merge.js';

/**
 * A `BarStore` in memory, for tests and for embedding with data from elsewhere. It checks its
 * arguments exactly as `LowdbBarStore` does, so code tested against it behaves the same on disk.
 */
export class MemoryBarStore implements BarStore {
  /**
   * By symbol, then interval: a session's morning read looks up 500 symbols, and a key made of
   * both names would be a new string to build and hash for each (~0.3 ms of the day change).
   */
  readonly #series = new Map<string, Map<Interval, StoredSeries>>();

  async getBars(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<Bar[]> {
    return barsOf(await this.getBarColumns(symbol, interval, startMs, endMs));
  }

  async getBarColumns(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<BarColumnsView> {
    const series = assertSeries(symbol, interval);
    return this.#columns(series.symbol, series.interval, queryWindow(startMs, endMs));
  }

  /** `getBarColumns` of many symbols in one call: what a session loading its symbols asks for. */
  async getManyBarColumns(symbols: readonly string[], interval: Interval, startMs: number, endMs: number): Promise<Map<string, BarColumnsView>> {
    const window = queryWindow(startMs, endMs);
    const names = symbols.map(assertValidSymbol);
    const valid = assertInterval(interval);
    const out = new Map<string, BarColumnsView>();
    for (const symbol of names) out.set(symbol, this.#columns(symbol, valid, window));
    return out;
  }

  #columns(symbol: string, interval: Interval, window: { start: number; end: number } | undefined): BarColumnsView {
    const stored = this.#series.get(symbol)?.get(interval);
    if (!stored || !window) return new BarColumns(0);
    // A view, not a copy: putBars replaces a series with a new one, never writes into it.
    const view = columnsInWindow(stored.columns, window.start, window.end);
    return stored.sound ? vouch(view) : view;
  }

  async putBars(symbol: string, interval: Interval, bars: Bar[]): Promise<void> {
    const series = assertSeries(symbol, interval);
    const normalized = normalizeBars(bars);
    if (normalized.length === 0) return;
    const incoming = columnsOf(normalized);
    let intervals = this.#series.get(series.symbol);
    if (!intervals) this.#series.set(series.symbol, (intervals = new Map()));
    const stored = intervals.get(series.interval);
    intervals.set(series.interval, {
      columns: mergeBars(stored?.columns ?? new BarColumns(0), incoming),
      // Merging keeps each bar as it was and the times strictly increasing: sound parts make a sound whole.
      sound: (stored?.sound ?? true) && passesBarRules(incoming),
    });
  }

  /** Symbols with at least one bar, sorted. */
  async symbols(): Promise<string[]> {
    return [...this.#series.keys()].sort();
  }
}

interface StoredSeries {
  columns: BarColumns;
  /** Every bar passed `passesBarRules` when it was put, so reads are vouched for (`vouch`). */
  sound: boolean;
}
