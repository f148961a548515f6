import type { Interval } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';
import { type DropCounts, emptyDropCounts } from '../model/counts.js';
import { barProblem, isVouched, passesBarRules, type BarWindow } from './bar-rules.js';

export type { BarWindow };

/**
 * One symbol's validated 1m bars for the day, column by column, in strictly increasing `t`.
 * This is what a loader hands the engine: it is streamed from `cursor` as the clock moves.
 */
export interface DayBars {
  symbol: string;
  length: number;
  t: Float64Array;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  v: Float64Array;
  /** How many bars the store returned, valid or not. */
  received: number;
  dropped: DropCounts;
  /** The bars' own interval when coarser than 1m (a symbol stored at 5m only); 1m when absent. */
  interval?: Interval;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

/**
 * Keeps the bars a session may use and counts the rest by reason. Input order is trusted only
 * as far as it is increasing: a bar at or before the last kept `t` is dropped as out of order,
 * so the stream can never go back in time.
 */
export function validateDayBars(symbol: string, input: readonly unknown[], window: BarWindow): DayBars {
  const day = emptyDay(symbol, input.length);
  const keep = dayKeeper(day, window);
  for (let i = 0; i < input.length; i++) {
    const bar = input[i] as Record<string, unknown> | null;
    if (bar === null || typeof bar !== 'object') day.dropped.nonFinite++;
    else keep(num(bar.t), num(bar.o), num(bar.h), num(bar.l), num(bar.c), num(bar.v));
  }
  return day;
}

/** `validateDayBars` for a store that answers in columns: the same rules, no object per bar. */
export function validateDayColumns(symbol: string, input: BarColumnsView, window: BarWindow): DayBars {
  const { length, t, o, h, l, c, v } = input;
  // The usual day is clean: then its columns are used as they are, with no copy to make. In
  // strictly increasing `t`, its first and last bar bound it inside the window.
  const inWindow = length === 0 || (t[0]! >= window.open && t[length - 1]! < window.close);
  if (inWindow && (isVouched(input) || passesBarRules(input))) {
    return { symbol, length, t, o, h, l, c, v, received: length, dropped: emptyDropCounts() };
  }
  const day = emptyDay(symbol, length);
  const keep = dayKeeper(day, window);
  for (let i = 0; i < length; i++) keep(t[i]!, o[i]!, h[i]!, l[i]!, c[i]!, v[i]!);
  return day;
}

function emptyDay(symbol: string, n: number): DayBars {
  return {
    symbol,
    length: 0,
    t: new Float64Array(n),
    o: new Float64Array(n),
    h: new Float64Array(n),
    l: new Float64Array(n),
    c: new Float64Array(n),
    v: new Float64Array(n),
    received: n,
    dropped: emptyDropCounts(),
  };
}

/** The rules, in the order a bar is judged; appends the bars that pass to `day`. */
function dayKeeper(day: DayBars, window: BarWindow) {
  const dropped = day.dropped;
  let lastT = Number.NEGATIVE_INFINITY;
  return (t: number, o: number, h: number, l: number, c: number, v: number): void => {
    const problem = barProblem(t, o, h, l, c, v, window) ?? (t <= lastT ? 'outOfOrder' : undefined);
    if (problem) {
      dropped[problem]++;
      return;
    }
    const k = day.length++;
    day.t[k] = t;
    day.o[k] = o;
    day.h[k] = h;
    day.l[k] = l;
    day.c[k] = c;
    day.v[k] = v;
    lastT = t;
  };
}
