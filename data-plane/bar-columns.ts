import type { Bar } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';

/**
 * One series of bars stored column by column in growable `Float64Array`s: 48 bytes a bar,
 * no object per bar. Bars are appended in increasing `t`; `upsert` also replaces the bar
 * with an equal `t` (live updated bars).
 */
export class BarColumns implements BarColumnsView {
  t: Float64Array;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  v: Float64Array;
  length = 0;
  /**
   * True while the columns are someone else's (`borrow`): they are read, never written, and the
   * first write copies them into columns of this series' own.
   */
  private borrowed = false;

  /** `capacity` should be the expected count (e.g. minutes in the session) so a day never regrows. */
  constructor(capacity = 64, borrowed?: BarColumnsView) {
    if (borrowed) {
      ({ t: this.t, o: this.o, h: this.h, l: this.l, c: this.c, v: this.v } = borrowed);
      this.borrowed = true;
      return;
    }
    const size = Math.max(1, capacity);
    // One buffer, six views: a session allocates these for every symbol and interval at once,
    // and one allocation instead of six is a sixth of the work for the allocator and the GC.
    const block = new Float64Array(6 * size);
    this.t = block.subarray(0, size);
    this.o = block.subarray(size, 2 * size);
    this.h = block.subarray(2 * size, 3 * size);
    this.l = block.subarray(3 * size, 4 * size);
    this.c = block.subarray(4 * size, 5 * size);
    this.v = block.subarray(5 * size, 6 * size);
  }

  /**
   * A series over `bars`' columns, without a copy, empty until `reveal` shows their first bars.
   * A backtest's base interval is its loaded day as it is: writing it into a series of its own
   * was a copy of every bar, and the store's columns are never written into once handed out.
   */
  static borrow(bars: BarColumnsView): BarColumns {
    return new BarColumns(0, bars);
  }

  /** Whether the columns are borrowed (`borrow`): such a series is not refilled for another day. */
  get isBorrowed(): boolean {
    return this.borrowed;
  }

  /** A borrowed series shows its first `length` bars: a bar is written by being revealed. */
  reveal(length: number): void {
    this.length = length;
  }

  append(t: number, o: number, h: number, l: number, c: number, v: number): void {
    if (this.length === this.t.length || this.borrowed) this.grow();
    const i = this.length++;
    this.t[i] = t;
    this.o[i] = o;
    this.h[i] = h;
    this.l[i] = l;
    this.c[i] = c;
    this.v[i] = v;
  }

  /** Appends, or replaces the bar with the same `t`. Returns true when a bar was replaced. */
  upsert(bar: Bar): boolean {
    if (this.borrowed) this.grow();
    const i = this.indexAtOrAfter(bar.t);
    if (i < this.length && this.t[i] === bar.t) {
      this.o[i] = bar.o;
      this.h[i] = bar.h;
      this.l[i] = bar.l;
      this.c[i] = bar.c;
      this.v[i] = bar.v;
      return true;
    }
    if (i !== this.length) throw new RangeError(`bar at ${bar.t} is older than the last bar and has no match to replace`);
    this.append(bar.t, bar.o, bar.h, bar.l, bar.c, bar.v);
    return false;
  }

  /** Bars it holds before it must grow. */
  get capacity(): number {
    return this.t.length;
  }

  at(i: number): Bar {
    return { t: this.t[i]!, o: this.o[i]!, h: this.h[i]!, l: this.l[i]!, c: this.c[i]!, v: this.v[i]! };
  }

  /** Bars `from` to `to` as views on these columns (no copy): valid until the next write. */
  view(from: number, to = this.length): BarColumnsView {
    const length = Math.max(0, to - from);
    return {
      length,
      t: this.t.subarray(from, from + length),
      o: this.o.subarray(from, from + length),
      h: this.h.subarray(from, from + length),
      l: this.l.subarray(from, from + length),
      c: this.c.subarray(from, from + length),
      v: this.v.subarray(from, from + length),
    };
  }

  /** Bars `[from, to)` by index, as objects. */
  slice(from: number, to = this.length): Bar[] {
    const start = Math.max(0, from);
    const end = Math.min(this.length, to);
    const out = new Array<Bar>(Math.max(0, end - start));
    for (let i = start; i < end; i++) out[i - start] = this.at(i);
    return out;
  }

  /** Index of the first bar with `t >= time` (binary search; `length` when none). */
  indexAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Moves the bars into new columns of its own, twice as long (or as long, when borrowed and not full). */
  private grow(): void {
    const wider = new BarColumns(this.length === this.t.length ? this.t.length * 2 : this.t.length);
    const n = this.length;
    wider.t.set(this.t.subarray(0, n));
    wider.o.set(this.o.subarray(0, n));
    wider.h.set(this.h.subarray(0, n));
    wider.l.set(this.l.subarray(0, n));
    wider.c.set(this.c.subarray(0, n));
    wider.v.set(this.v.subarray(0, n));
    ({ t: this.t, o: this.o, h: this.h, l: this.l, c: this.c, v: this.v } = wider);
    this.borrowed = false;
  }
}
