import type { Bar } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';

/**
 * A new series holding `existing` and `incoming` (sorted, one bar per `t`, as `normalizeBars`
 * and `normalizeColumns` make them) in order of `t`, where an incoming bar replaces an existing
 * one with the same `t`. `existing` is left untouched, so a reader holding it never sees a
 * half-merged series.
 */
export function mergeBars(existing: BarColumnsView, incoming: BarColumnsView): BarColumns {
  const out = new BarColumns(existing.length + incoming.length);
  let i = 0;
  let j = 0;
  while (i < existing.length || j < incoming.length) {
    const oldT = i < existing.length ? existing.t[i]! : Number.POSITIVE_INFINITY;
    if (j < incoming.length && incoming.t[j]! <= oldT) {
      const t = incoming.t[j]!;
      out.append(t, incoming.o[j]!, incoming.h[j]!, incoming.l[j]!, incoming.c[j]!, incoming.v[j]!);
      if (t === oldT) i++;
      j++;
    } else {
      out.append(oldT, existing.o[i]!, existing.h[i]!, existing.l[i]!, existing.c[i]!, existing.v[i]!);
      i++;
    }
  }
  return out;
}

/** Bars as new columns. */
export function columnsOf(bars: readonly Bar[]): BarColumns {
  const out = new BarColumns(bars.length);
  for (const bar of bars) out.append(bar.t, bar.o, bar.h, bar.l, bar.c, bar.v);
  return out;
}

/** Rows `[from, to)` of `columns`, as views on them (no copy). */
export function sliceColumns(columns: BarColumnsView, from: number, to: number): BarColumnsView {
  return {
    length: to - from,
    t: columns.t.subarray(from, to),
    o: columns.o.subarray(from, to),
    h: columns.h.subarray(from, to),
    l: columns.l.subarray(from, to),
    c: columns.c.subarray(from, to),
    v: columns.v.subarray(from, to),
  };
}

/** Bars with `start <= t < end`, as columns viewing `series` (no copy). */
export function columnsInWindow(series: BarColumns, start: number, end: number): BarColumnsView {
  return series.view(series.indexAtOrAfter(start), series.indexAtOrAfter(end));
}

/** A window's bars as new objects the caller may mutate: what `getBars` answers. */
export function barsOf(columns: BarColumnsView): Bar[] {
  const { t, o, h, l, c, v } = columns;
  return Array.from({ length: columns.length }, (_, i) => ({ t: t[i]!, o: o[i]!, h: h[i]!, l: l[i]!, c: c[i]!, v: v[i]! }));
}

/** Consecutive windows (months in order) as one series. */
export function concatColumns(parts: readonly BarColumnsView[]): BarColumns {
  const out = new BarColumns(parts.reduce((sum, part) => sum + part.length, 0));
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) out.append(part.t[i]!, part.o[i]!, part.h[i]!, part.l[i]!, part.c[i]!, part.v[i]!);
  }
  return out;
}

/** Sorted by time, one bar per time, the later row winning; `rows` itself when it already is. */
export function uniqueByTime<T extends BarColumnsView>(rows: T): T | BarColumns {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < rows.length && (ascending || descending); i++) {
    ascending &&= rows.t[i]! > rows.t[i - 1]!;
    descending &&= rows.t[i]! < rows.t[i - 1]!;
  }
  if (ascending) return rows;
  if (descending) {
    // Newest-first exports are common: reversing them needs no sort.
    const out = new BarColumns(rows.length);
    for (let i = rows.length - 1; i >= 0; i--) out.append(rows.t[i]!, rows.o[i]!, rows.h[i]!, rows.l[i]!, rows.c[i]!, rows.v[i]!);
    return out;
  }
  // Stable sort by time of the row indexes, then the last row of each time is kept.
  const order = Array.from({ length: rows.length }, (_, i) => i).sort((a, b) => rows.t[a]! - rows.t[b]! || a - b);
  const out = new BarColumns(rows.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const next = order[k + 1];
    if (next !== undefined && rows.t[next] === rows.t[i]) continue;
    out.append(rows.t[i]!, rows.o[i]!, rows.h[i]!, rows.l[i]!, rows.c[i]!, rows.v[i]!);
  }
  return out;
}
