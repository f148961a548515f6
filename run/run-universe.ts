import { INTERVALS, type Interval } from '../model/bar.js';

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
  /**
   * How many symbols deliver each interval: most bars (the 1m bars of a 5m strategy) are then
   * judged without a lookup. A field per interval, not a `Map`: this is read for every bar.
   */
  private readonly delivering = Object.fromEntries(INTERVALS.map((interval) => [interval, 0])) as Record<Interval, number>;
  /**
   * Each symbol's delivered intervals as bits (`INTERVAL_BIT`): a number held in the map itself,
   * so judging a bar reaches no object of the symbol's (its entry, its list) — at a few hundred
   * symbols those are cache misses, every bar.
   */
  private readonly deliveredBits = new Map<string, number>();
  /** `delivering['1m']`, copied by `set` and `forget`: `delivers` reads it for every 1m bar without a lookup by name. */
  private delivering1m = 0;

  constructor(symbols: readonly string[], delivered: Interval[]) {
    for (const symbol of symbols) this.set(symbol, entryFor(delivered));
  }

  add(symbol: string, delivered: Interval[]): UniverseEntry {
    const entry = entryFor(delivered);
    this.set(symbol, entry);
    return entry;
  }

  /** Forgets `symbol` if `entry` is still what it holds (an add that failed after a newer add is left alone). */
  drop(symbol: string, entry?: UniverseEntry): void {
    const held = this.entries.get(symbol);
    if (held && (entry === undefined || held === entry)) this.forget(symbol, held);
  }

  /** Whether the strategy receives `symbol`'s bars of `interval`. Called for every bar. */
  delivers(symbol: string, interval: Interval): boolean {
    // 1m bars, most of a run's, are judged without looking an interval up by its name.
    if (interval === '1m') return this.delivering1m > 0 && ((this.deliveredBits.get(symbol) ?? 0) & MINUTE_BIT) !== 0;
    return this.delivering[interval] > 0 && ((this.deliveredBits.get(symbol) ?? 0) & INTERVAL_BIT[interval]) !== 0;
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
    for (const { symbol, streams, delivered } of saved) universe.set(symbol, { streams: [...streams], delivered: [...delivered] });
    return universe;
  }

  sessionSymbols(): Array<{ symbol: string; streams: Interval[] }> {
    return [...this.entries].map(([symbol, entry]) => ({ symbol, streams: [...entry.streams] }));
  }

  private set(symbol: string, entry: UniverseEntry): void {
    const held = this.entries.get(symbol);
    if (held) this.forget(symbol, held);
    this.entries.set(symbol, entry);
    let bits = 0;
    for (const interval of entry.delivered) {
      this.delivering[interval]++;
      bits |= INTERVAL_BIT[interval];
    }
    this.delivering1m = this.delivering['1m'];
    this.deliveredBits.set(symbol, bits);
  }

  private forget(symbol: string, entry: UniverseEntry): void {
    this.entries.delete(symbol);
    this.deliveredBits.delete(symbol);
    for (const interval of entry.delivered) this.delivering[interval]--;
    this.delivering1m = this.delivering['1m'];
  }
}

const INTERVAL_BIT = Object.fromEntries(INTERVALS.map((interval, k) => [interval, 1 << k])) as Record<Interval, number>;
const MINUTE_BIT = INTERVAL_BIT['1m'];

/** The broker needs every 1m bar, so `1m` is streamed whatever the strategy receives. */
function entryFor(delivered: Interval[]): UniverseEntry {
  return { streams: delivered.includes('1m') ? [...delivered] : ['1m', ...delivered], delivered: [...delivered] };
}
