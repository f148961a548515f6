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
  /**
   * Per symbol and interval, one entry a day it had bars, oldest first. By symbol, then
   * interval, rather than by a key made of both: building and hashing that key for each series
   * of a 500-symbol run was a quarter of this class's share of every day change.
   */
  private readonly series = new Map<string, Map<Interval, HeldDay[]>>();
  private added = 0;

  constructor(private readonly days: number) {}

  /**
   * Keeps a closed day's bars of every symbol still in the session at the close; forgets the day
   * that left the window and returns its columns, which nothing here reads any more.
   */
  addDay(data: SessionData, symbols: ReadonlyArray<{ symbol: string; streams: readonly Interval[] }>): BarColumns[] {
    const day = this.added++;
    for (const { symbol, streams } of symbols) {
      let intervals = this.series.get(symbol);
      for (const interval of streams) {
        const columns = data.columns(symbol, interval);
        if (!columns || columns.length === 0) continue;
        if (!intervals) this.series.set(symbol, (intervals = new Map()));
        const held = intervals.get(interval);
        if (held) held.push({ day, columns });
        else intervals.set(interval, [{ day, columns }]);
      }
    }
    const oldestKept = this.added - this.days;
    const released: BarColumns[] = [];
    for (const [symbol, intervals] of this.series) {
      for (const [interval, held] of intervals) {
        while (held.length > 0 && held[0]!.day < oldestKept) released.push(held.shift()!.columns);
        if (held.length === 0) intervals.delete(interval);
      }
      if (intervals.size === 0) this.series.delete(symbol);
    }
    return released;
  }

  /** The last `n` bars before today, oldest first. */
  last(symbol: string, interval: Interval, n: number): Bar[] {
    const held = this.series.get(symbol)?.get(interval);
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
