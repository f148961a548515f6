import { BarColumns } from '../data-plane/bar-columns.js';
import type { SessionData } from '../data-plane/session-data.js';
import type { Fill } from '../broker/fill.js';
import { INTERVAL_MS, MINUTE_MS, type Bar, type Interval } from '../model/bar.js';

/** The candles `report.html` draws: bars of the run's own 1m data, aggregated so the page stays small. */
export interface ReportCandles {
  /** Exchange time zone, for the charts' time axis. */
  timeZone: string;
  /** Minutes a candle covers, aligned to each day's open (a whole day when `minutes` ≥ the session). */
  minutes: number;
  /** Per symbol, oldest first; at most `REPORT_SYMBOLS` symbols, those with the most fills first. */
  symbols: Record<string, Bar[]>;
  /** Symbols the run streamed whose candles were left out to keep the page small. */
  omitted: string[];
}

/**
 * A symbol's candle columns are made at most this long at first: a run of up to 30 days has no
 * more candles per symbol at NYSE's hours (5 days of 5m, 30 of 30m), and a symbol that appears
 * for a day of a long run of daily candles holds no more than this.
 */
const FIRST_CANDLES = 390;

/** More symbols than this and the page would weigh megabytes; the CSVs hold every fill anyway. */
export const REPORT_SYMBOLS = 12;

/**
 * 5m candles for runs of up to a week, 30m up to ~6 weeks, daily beyond: about 400–1 000 candles a
 * symbol, what one chart shows legibly.
 */
export function candleMinutes(tradingDays: number): number {
  if (tradingDays <= 5) return 5;
  if (tradingDays <= 30) return 30;
  return 24 * 60;
}

/**
 * Collects each closed day's candles from the session's 1m columns: no work per bar while the
 * day streams, and in columns (no object per candle) so the day change stays short.
 */
export class ReportCandleCollector {
  private readonly series = new Map<string, BarColumns>();
  private readonly minutes: number;
  /**
   * A symbol's candles over the whole run at the first session's length, up to `FIRST_CANDLES`:
   * its columns' first size, so that they seldom grow. Grown as they filled, a 19-day run's were
   * copied twice per symbol, about a fifth of the day change's candle work at 500 symbols.
   */
  private readonly firstCandles: number;

  /** `sessionMs`: the first trading day's length, for the size of a symbol's candles. */
  constructor(
    private readonly timeZone: string,
    tradingDays: number,
    sessionMs: number,
  ) {
    this.minutes = candleMinutes(tradingDays);
    this.firstCandles = Math.min(FIRST_CANDLES, tradingDays * Math.max(1, Math.ceil(sessionMs / (this.minutes * MINUTE_MS))));
  }

  /**
   * A symbol's candles come from the coarsest of its streamed intervals that divides the candle:
   * the same candles as from its 1m bars (derived bars are those bars aggregated, aligned to the
   * same open), with a fraction of the bars to read. With `added`, the day's candles per symbol
   * go there too, as `addCandles` takes them back (a resumed run keeps its earlier days').
   */
  addDay(data: SessionData, open: number, symbols: ReadonlyArray<{ symbol: string; streams: readonly Interval[] }>, added?: Record<string, Bar[]>): void {
    const span = this.minutes * MINUTE_MS;
    for (const { symbol, streams } of symbols) {
      const minutes = data.columns(symbol, '1m');
      if (!minutes || minutes.length === 0) continue;
      let source = minutes;
      let sourceMs = MINUTE_MS;
      for (const interval of streams) {
        const ms = INTERVAL_MS[interval];
        const columns = ms > sourceMs && span % ms === 0 ? data.columns(symbol, interval) : undefined;
        if (columns) [source, sourceMs] = [columns, ms];
      }
      const candles = this.seriesOf(symbol);
      const before = candles.length;
      aggregate(source, open, span, candles);
      if (added) added[symbol] = candles.slice(before);
    }
  }

  addCandles(day: Record<string, readonly Bar[]>): void {
    for (const [symbol, bars] of Object.entries(day)) {
      const candles = this.seriesOf(symbol);
      for (const bar of bars) candles.append(bar.t, bar.o, bar.h, bar.l, bar.c, bar.v);
    }
  }

  private seriesOf(symbol: string): BarColumns {
    let candles = this.series.get(symbol);
    if (!candles) this.series.set(symbol, (candles = new BarColumns(this.firstCandles)));
    return candles;
  }

  /** The symbols with the most fills first (then by name), at most `REPORT_SYMBOLS` of them. */
  finish(fills: readonly Fill[]): ReportCandles {
    const fillCount = new Map<string, number>();
    for (const fill of fills) fillCount.set(fill.symbol, (fillCount.get(fill.symbol) ?? 0) + 1);
    const ranked = [...this.series.keys()].sort((a, b) => (fillCount.get(b) ?? 0) - (fillCount.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    const kept = ranked.slice(0, REPORT_SYMBOLS).sort();
    return {
      timeZone: this.timeZone,
      minutes: this.minutes,
      symbols: Object.fromEntries(kept.map((symbol) => [symbol, this.series.get(symbol)!.slice(0)])),
      omitted: ranked.slice(REPORT_SYMBOLS).sort(),
    };
  }
}

function aggregate(bars: BarColumns, open: number, span: number, into: BarColumns): void {
  const { t, o, h, l, c, v } = bars;
  let i = 0;
  while (i < bars.length) {
    const start = open + Math.floor((t[i]! - open) / span) * span;
    const end = start + span;
    const first = o[i]!;
    let high = h[i]!;
    let low = l[i]!;
    let volume = v[i]!;
    let j = i + 1;
    for (; j < bars.length && t[j]! < end; j++) {
      if (h[j]! > high) high = h[j]!;
      if (l[j]! < low) low = l[j]!;
      volume += v[j]!;
    }
    into.append(start, first, high, low, c[j - 1]!, volume);
    i = j;
  }
}
