import type { FeedBar } from '../model/live-feed.js';
import { BarAggregator } from './bar-aggregator.js';
import { BarColumns } from './bar-columns.js';
import type { BarNotifier } from './bar-notifier.js';
import { INTERVAL_MS, MINUTE_MS, type Bar, type Interval } from '../model/bar.js';
import type { BarWindow, DayBars } from './day-bars.js';
import { emptyDropCounts, type IntervalCounts } from '../model/counts.js';
import type { LiveClock } from './live-clock.js';
import { barProblem } from './bar-rules.js';
import { copyCounts, recordBar, type CountedStream, type StreamCounts } from './stream-counts.js';
import type { SessionDataWriter } from './session-data.js';


/** One earlier trading day of history, with the window its bars were validated against. */
export interface HistoryDay {
  window: BarWindow;
  /** Where that day's derived buckets are aligned: its regular open. */
  alignTo: number;
  day: DayBars;
}

/** What a history load hands the engine: earlier days (on add only) and today's bars so far. */
export interface LiveHistory {
  trailing?: HistoryDay[];
  today: DayBars;
}

/** A live symbol's counters; `caughtUp` is what the last catch-up (history on add, or a gap fill) wrote. */
export interface LiveStreamStats extends StreamCounts {
  /** 1m bars that gap fills restored. */
  filled: number;
  /** Bars replaced by updated bars, all intervals. */
  updated: number;
}

interface DerivedSeries {
  interval: Interval;
  aggregator: BarAggregator;
  columns: BarColumns;
}

interface LiveStream extends LiveStreamStats, CountedStream {
  series: Map<Interval, BarColumns>;
  /** Today's 1m bars whatever the streams: derived buckets are recomputed from them. */
  today: BarColumns;
  derived: DerivedSeries[];
  /** Catching up (history on add, or a gap fill): the symbol is hidden and its live bars wait in `buffer`. */
  filling: boolean;
  buffer: Map<number, FeedBar>;
  drainAt: number;
}

/**
 * The live data plane: takes bars from a feed as they come, validates them, writes them into
 * `SessionData` and publishes them, and builds derived intervals. A symbol being caught up
 * (added, or filled after a reconnect) is hidden from the strategy and its live bars are held
 * back until its history is merged in, so every series stays in time order with one bar per `t`.
 *
 * A derived bucket is finished when its last minute arrives, or `graceMs` after its close
 * (minutes without trades send no bar); a minute arriving later revises it (`updated: true`).
 */
export class LiveDataEngine {
  /** Bars for symbols that are not (or no longer) subscribed. */
  droppedUnsubscribed = 0;
  private readonly streams = new Map<string, LiveStream>();
  private readonly retired = new Map<string, LiveStreamStats>();
  /** Bars that arrived before their close (clock skew): released by `tick` once the clock gets there. */
  private early: FeedBar[] = [];
  /** How far the feed says it has sent every bar (`FeedSink.sentThrough`); undefined for a feed that never says. */
  private sentThrough: number | undefined;

  constructor(
    readonly window: BarWindow,
    /** The regular open: derived buckets are aligned to it. */
    private readonly alignTo: number,
    readonly clock: LiveClock,
    private readonly writer: SessionDataWriter,
    private readonly notifier: BarNotifier,
    private readonly options: { graceMs: number; trailingDays: number },
  ) {}

  get isOpen(): boolean {
    return this.clock.now() >= this.window.open;
  }

  /**
   * Past the close by the grace, so the last minute's bar had its chance to arrive, and, for a
   * feed that says how far it has sent, past the close by the feed's word too.
   */
  get atClose(): boolean {
    return this.clock.now() >= this.window.close + this.options.graceMs && (this.sentThrough === undefined || this.sentThrough >= this.window.close);
  }

  feedSentThrough(t: number): void {
    this.sentThrough = Math.max(this.sentThrough ?? Number.NEGATIVE_INFINITY, t);
  }

  has(symbol: string): boolean {
    return this.streams.has(symbol);
  }

  /** Registers a symbol before it is subscribed: its live bars wait until its history is in (`completeFill`). */
  open(symbol: string, streams: Interval[]): void {
    this.remove(symbol);
    this.streams.set(symbol, {
      symbol,
      streams: [...streams],
      dropped: emptyDropCounts(),
      caughtUp: {},
      streamed: {},
      filled: 0,
      updated: 0,
      series: new Map(),
      today: new BarColumns(0),
      derived: [],
      filling: true,
      buffer: new Map(),
      silent: false,
      drainAt: Number.POSITIVE_INFINITY,
    });
  }

  /** Hides a streaming symbol and holds its live bars back while missed bars are fetched. */
  beginFill(symbol: string): void {
    const stream = this.streams.get(symbol);
    if (!stream || stream.filling) return;
    stream.filling = true;
    this.writer.removeSymbol(symbol);
  }

  isFilling(symbol: string): boolean {
    return this.streams.get(symbol)?.filling ?? false;
  }

  /**
   * Merges `history` with the bars held and the live bars that came meanwhile (live wins, then
   * history, then held), rewrites the symbol's series silently and shows it again. Without
   * `history` (a fill abandoned) the held and buffered bars are written back. Returns the bars
   * written per interval, or undefined when the symbol was not being filled.
   */
  completeFill(symbol: string, history?: LiveHistory): IntervalCounts | undefined {
    const stream = this.streams.get(symbol);
    if (!stream?.filling) return undefined;
    const adding = stream.series.size === 0;
    const merged = new Map<number, Bar>();
    for (let i = 0; i < stream.today.length; i++) merged.set(stream.today.t[i]!, stream.today.at(i));
    if (history) {
      const day = history.today;
      for (let i = 0; i < day.length; i++) {
        const t = day.t[i]!;
        if (!adding && !merged.has(t)) stream.filled++;
        merged.set(t, { t, o: day.o[i]!, h: day.h[i]!, l: day.l[i]!, c: day.c[i]!, v: day.v[i]! });
      }
    }
    for (const [t, bar] of stream.buffer) merged.set(t, bar);
    stream.buffer.clear();
    const bars = [...merged.values()].sort((a, b) => a.t - b.t);
    this.rebuild(stream, adding ? (history?.trailing ?? []) : undefined, bars);
    stream.filling = false;
    return { ...stream.caughtUp };
  }

  /** The feed's sink: validates and routes each bar. Called once per frame, never through XState. */
  ingest(bars: readonly FeedBar[]): void {
    const now = this.clock.now();
    for (const bar of bars) {
      const stream = this.streams.get(bar.symbol);
      if (!stream || stream.drainAt + this.options.graceMs <= now) {
        this.droppedUnsubscribed++;
        continue;
      }
      const problem = barProblem(bar.t, bar.o, bar.h, bar.l, bar.c, bar.v, this.window);
      if (problem) stream.dropped[problem]++;
      else if (stream.filling) this.hold(stream, bar);
      else if (bar.t + MINUTE_MS > now) this.early.push(bar);
      else this.accept(stream, bar);
    }
  }

  /** One clock step: releases early bars that are due and finishes derived buckets past their grace. */
  tick(): void {
    const now = this.clock.now();
    if (this.early.length > 0) {
      const due = this.early.filter((bar) => bar.t + MINUTE_MS <= now);
      this.early = this.early.filter((bar) => bar.t + MINUTE_MS > now);
      this.ingest(due);
    }
    const cutoff = now - this.options.graceMs;
    for (const stream of this.streams.values()) {
      if (stream.filling) continue;
      for (const d of stream.derived) d.aggregator.flushDue(cutoff, this.emitter(stream, d));
    }
  }

  /** Graceful removal: the symbol stays until the bar of the minute in progress is in (or its grace is over). */
  drain(symbol: string): void {
    const stream = this.streams.get(symbol);
    if (stream) stream.drainAt = Math.floor(this.clock.now() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  }

  /** Draining symbols whose last minute has been delivered; with `all`, every draining symbol. */
  drained(all: boolean): string[] {
    const now = this.clock.now();
    const done: string[] = [];
    for (const stream of this.streams.values()) {
      if (stream.drainAt === Number.POSITIVE_INFINITY) continue;
      const last = stream.today.length > 0 ? stream.today.t[stream.today.length - 1]! + MINUTE_MS : 0;
      if (all || last >= stream.drainAt || now >= stream.drainAt + this.options.graceMs) done.push(stream.symbol);
    }
    return done;
  }

  /** Drops a symbol at once: its stream and its data. */
  remove(symbol: string): void {
    const stream = this.streams.get(symbol);
    if (stream) {
      this.streams.delete(symbol);
      this.retired.set(symbol, snapshotStats(stream));
    }
    this.writer.removeSymbol(symbol);
  }

  stats(symbol: string): LiveStreamStats | undefined {
    const stream = this.streams.get(symbol);
    return stream ? snapshotStats(stream) : this.retired.get(symbol);
  }

  /** As `accept` does once shown: a bar sent again never undoes an update that came before it. */
  private hold(stream: LiveStream, bar: FeedBar): void {
    if (bar.updated || !stream.buffer.has(bar.t)) stream.buffer.set(bar.t, bar);
    else stream.dropped.outOfOrder++;
  }

  private accept(stream: LiveStream, bar: FeedBar): void {
    const { today } = stream;
    const lastT = today.length > 0 ? today.t[today.length - 1]! : Number.NEGATIVE_INFINITY;
    if (bar.t > lastT) this.write(stream, bar);
    else if (bar.updated) this.update(stream, bar);
    else stream.dropped.outOfOrder++;
  }

  private write(stream: LiveStream, bar: Bar): void {
    const { t, o, h, l, c, v } = bar;
    // Minutes come in order, so a bucket that closed by this minute's open is complete: it goes
    // out before this minute, in close order, even when no clock step finished it at its grace.
    for (const d of stream.derived) d.aggregator.flushDue(t, this.emitter(stream, d));
    stream.today.append(t, o, h, l, c, v);
    const minute = stream.series.get('1m');
    if (minute) {
      minute.append(t, o, h, l, c, v);
      recordBar(this.notifier, stream, '1m', minute, minute.length - 1, false);
    }
    for (const d of stream.derived) {
      const emit = this.emitter(stream, d);
      const start = this.bucketStart(d.interval, t);
      if (lastT(d.columns) >= start) {
        // Its bucket went out at the grace: this minute came late, so the bucket is revised.
        this.reviseBucket(stream, d, start);
        continue;
      }
      d.aggregator.add(stream.today, stream.today.length - 1, emit);
      // The bucket's last minute: no need to wait for the grace.
      d.aggregator.flushDue(t + MINUTE_MS, emit);
    }
  }

  /** An updated bar replaces the one held with its `t`; the derived buckets holding it follow. */
  private update(stream: LiveStream, bar: FeedBar): void {
    const i = stream.today.indexAtOrAfter(bar.t);
    if (stream.today.t[i] !== bar.t || i >= stream.today.length) {
      stream.dropped.outOfOrder++;
      return;
    }
    stream.today.upsert(bar);
    stream.updated++;
    const minute = stream.series.get('1m');
    if (minute) {
      minute.upsert(bar);
      recordBar(this.notifier, stream, '1m', minute, minute.indexAtOrAfter(bar.t), true);
    }
    for (const d of stream.derived) {
      const start = this.bucketStart(d.interval, bar.t);
      if (lastT(d.columns) >= start) this.reviseBucket(stream, d, start);
      else this.reopenBucket(stream, d, start);
    }
  }

  /** Recomputes a finished derived bar from today's minutes and publishes it as updated. */
  private reviseBucket(stream: LiveStream, d: DerivedSeries, start: number): void {
    const i = d.columns.indexAtOrAfter(start);
    // A bucket that had no minute at all was never written; a bar cannot be slotted in behind later ones.
    if (i >= d.columns.length || d.columns.t[i] !== start) return;
    const bar = this.bucketOf(stream.today, d.interval, start);
    if (!bar) return;
    d.columns.upsert(bar);
    stream.updated++;
    recordBar(this.notifier, stream, d.interval, d.columns, i, true);
  }

  /** Refills the open bucket of `d` from today's minutes after one of them was replaced. */
  private reopenBucket(stream: LiveStream, d: DerivedSeries, start: number): void {
    d.aggregator = new BarAggregator(d.interval, this.window, this.alignTo, d.columns);
    const emit = this.emitter(stream, d);
    const { today } = stream;
    for (let i = today.indexAtOrAfter(start); i < today.length; i++) {
      d.aggregator.add(today, i, emit);
    }
  }

  private bucketOf(today: BarColumns, interval: Interval, start: number): Bar | undefined {
    const span = INTERVAL_MS[interval];
    const aligned = this.alignTo + Math.floor((start - this.alignTo) / span) * span;
    const from = today.indexAtOrAfter(start);
    const to = today.indexAtOrAfter(Math.min(aligned + span, this.window.close));
    if (from >= to) return undefined;
    let h = today.h[from]!;
    let l = today.l[from]!;
    let v = 0;
    for (let i = from; i < to; i++) {
      if (today.h[i]! > h) h = today.h[i]!;
      if (today.l[i]! < l) l = today.l[i]!;
      v += today.v[i]!;
    }
    return { t: start, o: today.o[from]!, h, l, c: today.c[to - 1]!, v };
  }

  private bucketStart(interval: Interval, t: number): number {
    const span = INTERVAL_MS[interval];
    return Math.max(this.alignTo + Math.floor((t - this.alignTo) / span) * span, this.window.open);
  }

  /**
   * Rewrites a symbol's series: earlier days (from `trailing` on add, else kept from the series
   * being replaced), then today's bars whose close has passed. Later ones wait as early bars.
   */
  private rebuild(stream: LiveStream, trailing: HistoryDay[] | undefined, bars: Bar[]): void {
    const previous = stream.series;
    const days = this.options.trailingDays + 1;
    const minutes = Math.ceil((this.window.close - this.window.open) / MINUTE_MS);
    const series = this.writer.addSymbol(stream.symbol, stream.streams, (interval) => days * (Math.ceil(minutes / (INTERVAL_MS[interval] / MINUTE_MS)) + 1));
    stream.series = series;
    stream.caughtUp = {};
    stream.silent = true;
    if (trailing) {
      for (const day of trailing) this.writeEarlierDay(stream, day);
    } else {
      for (const [interval, columns] of previous) copyBefore(columns, series.get(interval)!, this.window.open);
    }
    stream.today = new BarColumns(minutes);
    stream.derived = stream.streams
      .filter((interval) => interval !== '1m')
      .map((interval) => {
        const columns = series.get(interval)!;
        return { interval, aggregator: new BarAggregator(interval, this.window, this.alignTo, columns), columns };
      });
    const now = this.clock.now();
    for (const bar of bars) {
      if (bar.t + MINUTE_MS > now) this.early.push({ ...bar, symbol: stream.symbol });
      else this.write(stream, bar);
    }
    for (const d of stream.derived) d.aggregator.flushDue(now - this.options.graceMs, this.emitter(stream, d));
    stream.silent = false;
  }

  private writeEarlierDay(stream: LiveStream, { window, alignTo, day }: HistoryDay): void {
    const minute = stream.series.get('1m');
    for (const interval of stream.streams) {
      if (interval === '1m') continue;
      const columns = stream.series.get(interval)!;
      const d: DerivedSeries = { interval, aggregator: new BarAggregator(interval, window, alignTo, columns), columns };
      const emit = this.emitter(stream, d);
      for (let i = 0; i < day.length; i++) d.aggregator.add(day, i, emit);
      d.aggregator.flushDue(window.close, emit);
    }
    if (!minute) return;
    for (let i = 0; i < day.length; i++) minute.append(day.t[i]!, day.o[i]!, day.h[i]!, day.l[i]!, day.c[i]!, day.v[i]!);
    stream.caughtUp['1m'] = (stream.caughtUp['1m'] ?? 0) + day.length;
  }

  private emitter(stream: LiveStream, d: DerivedSeries) {
    return (index: number) => recordBar(this.notifier, stream, d.interval, d.columns, index, false);
  }
}

function lastT(columns: BarColumns): number {
  return columns.length > 0 ? columns.t[columns.length - 1]! : Number.NEGATIVE_INFINITY;
}

function copyBefore(from: BarColumns, to: BarColumns, limit: number): void {
  const end = from.indexAtOrAfter(limit);
  for (let i = 0; i < end; i++) to.append(from.t[i]!, from.o[i]!, from.h[i]!, from.l[i]!, from.c[i]!, from.v[i]!);
}

function snapshotStats(stream: LiveStream): LiveStreamStats {
  return { ...copyCounts(stream), filled: stream.filled, updated: stream.updated };
}
