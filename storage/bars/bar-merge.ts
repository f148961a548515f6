import type { Bar } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';

/**
 * A new series holding `existing` and `incoming` (sorted, one bar per `t`, as `normalizeBars`
 * returns) in order of `t`, where an incoming bar replaces an existing one with the same `t`.
 * `existing` is left untouched, so a reader holding it never sees a half-merged series.
 */
export function mergeBars(existing: BarColumns, incoming: readonly Bar[]): BarColumns {
  const out = new BarColumns(existing.length + incoming.length);
  let i = 0;
  let j = 0;
  while (i < existing.length || j < incoming.length) {
    const next = incoming[j];
    const oldT = i < existing.length ? existing.t[i]! : Number.POSITIVE_INFINITY;
    if (next !== undefined && next.t <= oldT) {
      out.append(next.t, next.o, next.h, next.l, next.c, next.v);
      if (next.t === oldT) i++;
      j++;
    } else {
      out.append(oldT, existing.o[i]!, existing.h[i]!, existing.l[i]!, existing.c[i]!, existing.v[i]!);
      i++;
    }
  }
  return out;
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
