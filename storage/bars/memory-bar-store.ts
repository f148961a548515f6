import type { Bar, Interval } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import { passesBarRules, vouch } from '../../data-plane/bar-rules.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import type { BarStore } from '../../model/bar-store.js';
import { assertSeries, normalizeBars, queryWindow } from './bar-store-arguments.js';
import { barsOf, columnsInWindow, columnsOf, mergeBars } from './bar-merge.js';

/**
 * A `BarStore` in memory, for tests and for embedding with data from elsewhere. It checks its
 * arguments exactly as `LowdbBarStore` does, so code tested against it behaves the same on disk.
 */
export class MemoryBarStore implements BarStore {
  readonly #series = new Map<string, StoredSeries>();

  async getBars(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<Bar[]> {
    return barsOf(await this.getBarColumns(symbol, interval, startMs, endMs));
  }

  async getBarColumns(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<BarColumnsView> {
    return this.#columns(assertSeries(symbol, interval), queryWindow(startMs, endMs));
  }

  /** `getBarColumns` of many symbols in one call: what a session loading its symbols asks for. */
  async getManyBarColumns(symbols: readonly string[], interval: Interval, startMs: number, endMs: number): Promise<Map<string, BarColumnsView>> {
    const window = queryWindow(startMs, endMs);
    const valid = symbols.map((symbol) => assertSeries(symbol, interval));
    return new Map(valid.map((series) => [series.symbol, this.#columns(series, window)]));
  }

  #columns(series: { symbol: string; interval: Interval }, window: { start: number; end: number } | undefined): BarColumnsView {
    const stored = this.#series.get(key(series));
    if (!stored || !window) return new BarColumns(0);
    // A view, not a copy: putBars replaces a series with a new one, never writes into it.
    const view = columnsInWindow(stored.columns, window.start, window.end);
    return stored.sound ? vouch(view) : view;
  }

  async putBars(symbol: string, interval: Interval, bars: Bar[]): Promise<void> {
    const id = key(assertSeries(symbol, interval));
    const normalized = normalizeBars(bars);
    if (normalized.length === 0) return;
    const incoming = columnsOf(normalized);
    const stored = this.#series.get(id);
    this.#series.set(id, {
      columns: mergeBars(stored?.columns ?? new BarColumns(0), incoming),
      // Merging keeps each bar as it was and the times strictly increasing: sound parts make a sound whole.
      sound: (stored?.sound ?? true) && passesBarRules(incoming),
    });
  }

  /** Symbols with at least one bar, sorted. */
  async symbols(): Promise<string[]> {
    const names = new Set<string>();
    for (const id of this.#series.keys()) names.add(id.slice(0, id.indexOf(' ')));
    return [...names].sort();
  }
}

interface StoredSeries {
  columns: BarColumns;
  /** Every bar passed `passesBarRules` when it was put, so reads are vouched for (`vouch`). */
  sound: boolean;
}

function key({ symbol, interval }: { symbol: string; interval: Interval }): string {
  return `${symbol} ${interval}`;
}
