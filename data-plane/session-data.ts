import { BarColumns } from './bar-columns.js';
import type { Bar, Interval } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';

/** Everything held for one symbol: its streams and one series per stream. */
export interface SymbolData {
  symbol: string;
  streams: Interval[];
  bars: Partial<Record<Interval, Bar[]>>;
}

interface SymbolSeries {
  streams: Interval[];
  series: Map<Interval, BarColumns>;
}

/**
 * The bars a session holds, per symbol and interval, readable by the strategy.
 *
 * While the session is deactivated (a symbol is being caught up) every read returns an empty
 * result, so a strategy can never observe a half-written history. Writes go through the
 * `SessionDataWriter` that `createSessionData` hands to the engine, which ignores the flag.
 */
export class SessionData {
  /** @internal */
  readonly symbols = new Map<string, SymbolSeries>();
  /** @internal */
  visible = true;

  /** Whether reads currently return data (false while the session is deactivated). */
  get isActive(): boolean {
    return this.visible;
  }

  getLatestBar(symbol: string, interval: Interval = '1m'): Bar | undefined {
    const columns = this.columns(symbol, interval);
    return columns && columns.length > 0 ? columns.at(columns.length - 1) : undefined;
  }

  /** The last `n` bars, oldest first. */
  getLastNBars(symbol: string, n: number, interval: Interval = '1m'): Bar[] {
    const columns = this.columns(symbol, interval);
    if (!columns || !(n > 0)) return [];
    return columns.slice(columns.length - Math.floor(n));
  }

  /** Bars with `t >= sinceMs`, oldest first. */
  getBarsSince(symbol: string, sinceMs: number, interval: Interval = '1m'): Bar[] {
    const columns = this.columns(symbol, interval);
    if (!columns) return [];
    return columns.slice(columns.indexAtOrAfter(sinceMs));
  }

  getBarCount(symbol: string, interval: Interval = '1m'): number {
    return this.columns(symbol, interval)?.length ?? 0;
  }

  /** Symbols whose bars are being streamed, in the order they became active. */
  getActiveSymbols(): string[] {
    return this.visible ? [...this.symbols.keys()] : [];
  }

  getSymbolData(symbol: string): SymbolData | undefined {
    if (!this.visible) return undefined;
    const entry = this.symbols.get(symbol);
    if (!entry) return undefined;
    const bars: Partial<Record<Interval, Bar[]>> = {};
    for (const [interval, columns] of entry.series) bars[interval] = columns.slice(0);
    return { symbol, streams: [...entry.streams], bars };
  }

  /**
   * The raw columns of one series (no copy; do not mutate), or undefined. Hidden while
   * deactivated. They hold the session's day: a run fills the series of a day that has left its
   * history again on a later day, so copy what must outlive the day.
   */
  columns(symbol: string, interval: Interval): BarColumns | undefined {
    if (!this.visible) return undefined;
    return this.symbols.get(symbol)?.series.get(interval);
  }
}

/** The engine's side of `SessionData`: writes regardless of visibility. */
export interface SessionDataWriter {
  readonly data: SessionData;
  /**
   * Creates (or resets) a symbol's series, presized to `capacity(interval)` bars; the series of
   * `borrowed.interval` instead reads `borrowed.bars` as they are (`BarColumns.borrow`).
   */
  addSymbol(symbol: string, streams: Interval[], capacity: (interval: Interval) => number, borrowed?: { interval: Interval; bars: BarColumnsView }): Map<Interval, BarColumns>;
  removeSymbol(symbol: string): void;
  /** Forgets every symbol (a new day). */
  clear(): void;
  setVisible(visible: boolean): void;
  /**
   * Takes back series of an earlier day that nothing reads any more: `addSymbol` empties and
   * reuses them instead of allocating. A session day allocates a series per symbol and interval,
   * and at 500 symbols that allocation was most of a day change.
   */
  recycle(columns: Iterable<BarColumns>): void;
}

export function createSessionData(): SessionDataWriter {
  const data = new SessionData();
  /** By capacity: the days of a calendar have one length, early closes aside, so one size nearly always fits. */
  const spares = new Map<number, BarColumns[]>();
  const take = (capacity: number): BarColumns => {
    const spare = spares.get(capacity)?.pop();
    if (!spare) return new BarColumns(capacity);
    spare.length = 0;
    return spare;
  };
  return {
    data,
    addSymbol(symbol, streams, capacity, borrowed) {
      const series = new Map<Interval, BarColumns>();
      for (const interval of streams) series.set(interval, interval === borrowed?.interval ? BarColumns.borrow(borrowed.bars) : take(capacity(interval)));
      data.symbols.set(symbol, { streams: [...streams], series });
      return series;
    },
    removeSymbol(symbol) {
      data.symbols.delete(symbol);
    },
    clear() {
      data.symbols.clear();
    },
    setVisible(visible) {
      data.visible = visible;
    },
    recycle(columns) {
      for (const series of columns) {
        // Borrowed columns are a store's: they are read, never filled again.
        if (series.isBorrowed) continue;
        const sized = spares.get(series.capacity);
        if (sized) sized.push(series);
        else spares.set(series.capacity, [series]);
      }
    },
  };
}
