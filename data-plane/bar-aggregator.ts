import { INTERVAL_MS, type Interval } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';
import type { BarColumns } from './bar-columns.js';
import type { BarWindow } from './day-bars.js';

/**
 * Builds one derived interval (`5m`, `15m`, …) from 1m bars into its series. Buckets are
 * aligned to the session open, and the last one is cut at the close (a 15:30 1h bucket closes
 * at 16:00). A bucket is finished by the clock reaching its close, never by the arrival of a
 * later bar, so a derived bar becomes visible at its own close even when minutes are missing.
 */
export class BarAggregator {
  readonly interval: Interval;
  private readonly span: number;
  /** Start of the open bucket, NaN when none. */
  private start = Number.NaN;
  private bucketClose = Number.NaN;
  private o = 0;
  private h = 0;
  private l = 0;
  private c = 0;
  private v = 0;

  constructor(
    interval: Interval,
    private readonly window: BarWindow,
    private readonly alignTo: number,
    /** Where finished bars are appended. */
    readonly into: BarColumns,
  ) {
    this.interval = interval;
    this.span = INTERVAL_MS[interval];
  }

  get hasOpenBucket(): boolean {
    return this.start === this.start; // not NaN
  }

  /** Close time of the open bucket (NaN when none). */
  get openBucketClose(): number {
    return this.bucketClose;
  }

  /**
   * Adds the 1m bar at `index` of `bars`. If it belongs to a later bucket than the open one,
   * the open bucket is finished first: appended to `into`, and `emit` told where. Told where
   * the bar is, like `FinishedBar`: its fields as arguments would be boxed whenever the
   * compiler does not inline this call, six numbers a bar.
   */
  add(bars: BarColumnsView, index: number, emit: FinishedBar): void {
    const t = bars.t[index]!;
    const h = bars.h[index]!;
    const l = bars.l[index]!;
    const c = bars.c[index]!;
    const v = bars.v[index]!;
    // Within the open bucket (false while there is none: NaN) its bounds say so; the bucket of
    // `t` is worked out, with a division, only for a bar that may start another.
    if (!(t >= this.start && t < this.bucketClose)) {
      const aligned = this.alignTo + Math.floor((t - this.alignTo) / this.span) * this.span;
      const start = Math.max(aligned, this.window.open);
      if (start !== this.start) {
        if (this.start === this.start) this.finish(emit);
        this.start = start;
        this.bucketClose = Math.min(aligned + this.span, this.window.close);
        this.o = bars.o[index]!;
        this.h = h;
        this.l = l;
        this.c = c;
        this.v = v;
        return;
      }
    }
    if (h > this.h) this.h = h;
    if (l < this.l) this.l = l;
    this.c = c;
    this.v += v;
  }

  /** Finishes the open bucket if the clock has reached its close. */
  flushDue(now: number, emit: FinishedBar): void {
    if (this.bucketClose <= now) this.finish(emit);
  }

  private finish(emit: FinishedBar): void {
    this.into.append(this.start, this.o, this.h, this.l, this.c, this.v);
    this.start = Number.NaN;
    this.bucketClose = Number.NaN;
    emit(this.into.length - 1);
  }
}

/**
 * Told that a finished bar is `into`'s bar at `index`. A position rather than the bar's fields:
 * numbers handed to a call that is not inlined are boxed, an allocation each, and at a bar a
 * minute per symbol that was most of a backtest's garbage.
 */
export type FinishedBar = (index: number) => void;
