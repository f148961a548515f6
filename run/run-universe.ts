import type { Interval } from '../model/bar.js';

/** A symbol of the run: what its session streams, and which of those intervals the strategy receives. */
export interface UniverseEntry {
  streams: Interval[];
  delivered: Interval[];
}

/**
 * The symbols a run trades, carried from day to day: the configured ones, plus those added
 * during a day (once the add is made), minus those removed. In the order they joined.
 */
export class RunUniverse {
  private readonly entries = new Map<string, UniverseEntry>();

  constructor(symbols: readonly string[], delivered: Interval[]) {
    for (const symbol of symbols) this.entries.set(symbol, entryFor(delivered));
  }

  add(symbol: string, delivered: Interval[]): UniverseEntry {
    const entry = entryFor(delivered);
    this.entries.delete(symbol);
    this.entries.set(symbol, entry);
    return entry;
  }

  /** Forgets `symbol` if `entry` is still what it holds (an add that failed after a newer add is left alone). */
  drop(symbol: string, entry?: UniverseEntry): void {
    if (entry === undefined || this.entries.get(symbol) === entry) this.entries.delete(symbol);
  }

  get(symbol: string): UniverseEntry | undefined {
    return this.entries.get(symbol);
  }

  symbols(): string[] {
    return [...this.entries.keys()];
  }

  /** Every symbol with its entry, in the order they joined: what `restore` takes back. */
  snapshot(): Array<{ symbol: string } & UniverseEntry> {
    return [...this.entries].map(([symbol, entry]) => ({ symbol, streams: [...entry.streams], delivered: [...entry.delivered] }));
  }

  static restore(saved: ReadonlyArray<{ symbol: string } & UniverseEntry>): RunUniverse {
    const universe = new RunUniverse([], []);
    for (const { symbol, streams, delivered } of saved) universe.entries.set(symbol, { streams: [...streams], delivered: [...delivered] });
    return universe;
  }

  sessionSymbols(): Array<{ symbol: string; streams: Interval[] }> {
    return [...this.entries].map(([symbol, entry]) => ({ symbol, streams: [...entry.streams] }));
  }
}

/** The broker needs every 1m bar, so `1m` is streamed whatever the strategy receives. */
function entryFor(delivered: Interval[]): UniverseEntry {
  return { streams: delivered.includes('1m') ? [...delivered] : ['1m', ...delivered], delivered: [...delivered] };
}
