import { INTERVALS, isInterval, type Bar, type Interval } from '../../model/bar.js';
import { uniqueByTime } from './bar-merge.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { SessionError } from '../../model/session-error.js';
import { assertValidSymbol } from '../../model/symbol-name.js';

/**
 * Bar times a store accepts: 1970-01-01 up to the end of year 9999 UTC. Partitions are named
 * `YYYY-MM`, so a time outside four-digit years has no file to go to.
 */
export const MIN_TIME = 0;
export const MAX_TIME = Date.UTC(10000, 0, 1) - 1;

export function assertInterval(value: unknown): Interval {
  if (!isInterval(value)) {
    throw new SessionError('INVALID_INTERVAL', `Unknown interval ${JSON.stringify(value)}: use one of ${INTERVALS.join(', ')}.`, { interval: value });
  }
  return value;
}

/** Checks the arguments every store call shares; nothing is read or written before this passes. */
export function assertSeries(symbol: unknown, interval: unknown): { symbol: string; interval: Interval } {
  return { symbol: assertValidSymbol(symbol), interval: assertInterval(interval) };
}

/** A query window `[startMs, endMs)` clipped to the times a store can hold; `undefined` when it is empty. */
export function queryWindow(startMs: unknown, endMs: unknown): { start: number; end: number } | undefined {
  if (typeof startMs !== 'number' || typeof endMs !== 'number' || !Number.isFinite(startMs) || !Number.isFinite(endMs)) {
    throw new SessionError('BAD_INPUT', `getBars needs a finite time range in epoch ms, got [${String(startMs)}, ${String(endMs)}).`, { startMs, endMs });
  }
  const start = Math.max(startMs, MIN_TIME);
  const end = Math.min(endMs, MAX_TIME + 1);
  return start < end ? { start, end } : undefined;
}

const FIELDS = ['o', 'h', 'l', 'c', 'v'] as const;

/**
 * What a `putBars` call means, as a new array the caller can no longer mutate: every bar
 * checked, copied, sorted by `t`, one bar per `t` with the later one in the batch winning.
 * Bars must be representable on disk (finite numbers, an integer `t` in range); whether they
 * make sense as market data (high below low, off-minute times) is for the loader to judge.
 */
export function normalizeBars(bars: unknown): Bar[] {
  if (!Array.isArray(bars)) throw new SessionError('BAD_INPUT', `putBars needs an array of bars, got ${typeof bars}.`);
  const copies: Bar[] = new Array<Bar>(bars.length);
  let sorted = true;
  for (let i = 0; i < bars.length; i++) {
    const bar: unknown = bars[i];
    if (typeof bar !== 'object' || bar === null) throw badBar(i, 'is not an object');
    const { t, o, h, l, c, v } = bar as Record<string, unknown>;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < MIN_TIME || t > MAX_TIME) {
      throw badBar(i, `has t=${String(t)}; expected an integer epoch-ms time between 1970 and 9999`);
    }
    for (const field of FIELDS) {
      const value = (bar as Record<string, unknown>)[field];
      if (typeof value !== 'number' || !Number.isFinite(value)) throw badBar(i, `has ${field}=${String(value)}; expected a finite number`);
    }
    copies[i] = { t, o: o as number, h: h as number, l: l as number, c: c as number, v: v as number };
    if (i > 0 && t <= copies[i - 1]!.t) sorted = false;
  }
  if (sorted) return copies;
  // Stable sort, then keep the last of each run of equal t: the later bar in the batch wins.
  copies.sort((a, b) => a.t - b.t);
  const unique: Bar[] = [];
  for (const bar of copies) {
    if (unique.length > 0 && unique[unique.length - 1]!.t === bar.t) unique[unique.length - 1] = bar;
    else unique.push(bar);
  }
  return unique;
}

/**
 * `normalizeBars` for bars in columns: the same checks, no object per bar. Columns already
 * sorted with one bar per `t` (an importer's) are returned as they are, not copied.
 */
export function normalizeColumns(columns: BarColumnsView): BarColumnsView {
  const { length, t } = columns;
  let sorted = true;
  // A column at a time: a million bars in ~20 ms, where reading the five columns by name for
  // each bar took 0.1–0.2 s. A bad value sends the bars through again to name the first bad bar.
  let valid = true;
  for (let i = 0; i < length; i++) {
    const ti = t[i]!;
    if (!(Number.isInteger(ti) && ti >= MIN_TIME && ti <= MAX_TIME)) valid = false;
    if (i > 0 && ti <= t[i - 1]!) sorted = false;
  }
  for (const field of FIELDS) {
    const values = columns[field];
    for (let i = 0; i < length; i++) if (!Number.isFinite(values[i]!)) valid = false;
  }
  if (!valid) throwFirstBadBar(columns);
  return sorted ? columns : uniqueByTime(columns);
}

function throwFirstBadBar(columns: BarColumnsView): never {
  for (let i = 0; i < columns.length; i++) {
    const ti = columns.t[i]!;
    if (!Number.isInteger(ti) || ti < MIN_TIME || ti > MAX_TIME) throw badBar(i, `has t=${ti}; expected an integer epoch-ms time between 1970 and 9999`);
    for (const field of FIELDS) if (!Number.isFinite(columns[field][i]!)) throw badBar(i, `has ${field}=${columns[field][i]}; expected a finite number`);
  }
  throw new Error('throwFirstBadBar: no bad bar');
}

function badBar(index: number, what: string): SessionError {
  return new SessionError('BAD_INPUT', `putBars: bar ${index} ${what}.`, { index });
}
