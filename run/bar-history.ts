import type { BarColumns } from '../data-plane/bar-columns.js';
import type { SessionData } from '../data-plane/session-data.js';
import type { Bar, Interval } from '../model/bar.js';

interface HeldDay {
  /** 0 for the first day added. */
  day: number;
  columns: BarColumns;
}

/**
 * Bars of the days before today, per symbol and interval: what `ctx.history` reads. It holds
 * the closed sessions' own columns (no copy: nothing writes them after the close) of the last
 * `days` trading days, so memory stays bounded however long the run; a day's columns are handed
 * back when it leaves, for the session to fill again.
 */
export class BarHistory {
  /** Per series, one entry a day it had bars, oldest first. */
  private readonly series = new Map<string, HeldDay[]>();
  private added = 0;

  constructor(private readonly days: number) {}

  /**
   * Keeps a closed day's bars of every symbol still in the session at the close; forgets the day
   * that left the window and returns its columns, which nothing here reads any more.
   */
  addDay(data: SessionData, symbols: ReadonlyArray<{ symbol: string; streams: readonly Interval[] }>): BarColumns[] {
    const day = this.added++;
    for (const { symbol, streams } of symbols) {
      for (const interval of streams) {
        const columns = data.columns(symbol, interval);
        if (!columns || columns.length === 0) continue;
        const key = keyOf(symbol, interval);
        const held = this.series.get(key);
        if (held) held.push({ day, columns });
        else this.series.set(key, [{ day, columns }]);
      }
    }
    const oldestKept = this.added - this.days;
    const released: BarColumns[] = [];
    for (const [key, held] of this.series) {
      while (held.length > 0 && held[0]!.day < oldestKept) released.push(held.shift()!.columns);
      if (held.length === 0) this.series.delete(key);
    }
    return released;
  }

  /** The last `n` bars before today, oldest first. */
  last(symbol: string, interval: Interval, n: number): Bar[] {
    const held = this.series.get(keyOf(symbol, interval));
    let wanted = Math.floor(n);
    if (!held || !(wanted > 0)) return [];
    const parts: Bar[][] = [];
    for (let i = held.length - 1; i >= 0 && wanted > 0; i--) {
      const { columns } = held[i]!;
      const from = Math.max(0, columns.length - wanted);
      parts.push(columns.slice(from));
      wanted -= columns.length - from;
    }
    return parts.reverse().flat();
  }
}

function keyOf(symbol: string, interval: Interval): string {
  return `${symbol} ${interval}`;
}
