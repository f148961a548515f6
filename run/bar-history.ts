import type { Bar, Interval } from '../model/bar.js';
import type { SessionData } from '../data-plane/session-data.js';

/** Bars of the days before today, per symbol and interval, oldest first: what `ctx.history` reads. */
export class BarHistory {
  private readonly series = new Map<string, Bar[]>();

  /** Appends a closed day's bars of every symbol still in the session at the close. */
  addDay(data: SessionData, symbols: ReadonlyArray<{ symbol: string; streams: readonly Interval[] }>): void {
    for (const { symbol, streams } of symbols) {
      for (const interval of streams) {
        const bars = data.getBarsSince(symbol, Number.NEGATIVE_INFINITY, interval);
        if (bars.length === 0) continue;
        const key = keyOf(symbol, interval);
        const held = this.series.get(key);
        if (held) held.push(...bars);
        else this.series.set(key, bars);
      }
    }
  }

  last(symbol: string, interval: Interval, n: number): Bar[] {
    const held = this.series.get(keyOf(symbol, interval));
    if (!held || n <= 0) return [];
    return held.slice(Math.max(0, held.length - Math.floor(n))).map((bar) => ({ ...bar }));
  }
}

function keyOf(symbol: string, interval: Interval): string {
  return `${symbol} ${interval}`;
}
