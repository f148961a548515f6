import { BarColumns } from '../../data-plane/bar-columns.js';
import { timeAt, type Segment } from './arrow-segment.js';

/** Rows `[from, to)` of one segment, all of one symbol. */
export interface SegmentPart {
  readonly segment: Segment;
  readonly from: number;
  readonly to: number;
}

/** A symbol's rows with `start <= t < end` in each segment that has any, in the segments' (write) order. */
export function partsOf(segments: readonly Segment[], symbol: string, start: number, end: number): SegmentPart[] {
  const parts: SegmentPart[] = [];
  for (const segment of segments) {
    const rows = segment.symbols.get(symbol);
    if (!rows) continue;
    const from = firstAtOrAfter(segment, rows.from, rows.to, start);
    const to = firstAtOrAfter(segment, from, rows.to, end);
    if (from < to) parts.push({ segment, from, to });
  }
  return parts;
}

/** At most this many bars: duplicates across segments make it more than what is appended. */
export function rowsIn(parts: readonly SegmentPart[]): number {
  return parts.reduce((sum, part) => sum + part.to - part.from, 0);
}

/** Six columns to write bars into, from some row on. */
export type ColumnsTarget = Pick<BarColumns, 't' | 'o' | 'h' | 'l' | 'c' | 'v'>;

/**
 * Writes the parts' bars into `out` from row `at` (which must have room for `rowsIn(parts)`)
 * in order of `t`, one bar per `t`, and returns how many it wrote. Where segments disagree
 * the later one wins: segments are written in order and each write's bars replace older ones.
 * This is the one copy between the file's buffers and the engine's columns.
 */
export function copyParts(out: ColumnsTarget, at: number, parts: readonly SegmentPart[]): number {
  if (parts.length === 1) {
    const { segment, from, to } = parts[0]!;
    copyTimes(out.t, at, parts[0]!);
    for (const column of ['o', 'h', 'l', 'c', 'v'] as const) out[column].set(segment[column].subarray(from, to), at);
    return to - from;
  }
  const heads = parts.map((part) => part.from);
  let row = at;
  for (;;) {
    let next = Number.POSITIVE_INFINITY;
    for (let k = 0; k < parts.length; k++) if (heads[k]! < parts[k]!.to) next = Math.min(next, timeAt(parts[k]!.segment, heads[k]!));
    if (next === Number.POSITIVE_INFINITY) return row - at;
    let winner = -1;
    for (let k = 0; k < parts.length; k++) {
      if (heads[k]! < parts[k]!.to && timeAt(parts[k]!.segment, heads[k]!) === next) {
        winner = k;
        heads[k]!++;
      }
    }
    const { segment } = parts[winner]!;
    const i = heads[winner]! - 1;
    out.t[row] = next;
    out.o[row] = segment.o[i]!;
    out.h[row] = segment.h[i]!;
    out.l[row] = segment.l[i]!;
    out.c[row] = segment.c[i]!;
    out.v[row] = segment.v[i]!;
    row++;
  }
}

/** A part's times, int64 in the file, as epoch ms into `out` from row `at`. */
export function copyTimes(out: Float64Array, at: number, { segment, from, to }: SegmentPart): void {
  for (let i = from; i < to; i++) out[at + i - from] = timeAt(segment, i);
}

/** One symbol's bars across segments as a new series. */
export function mergedSeries(segments: readonly Segment[], symbol: string): BarColumns {
  const parts = partsOf(segments, symbol, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  const out = new BarColumns(rowsIn(parts));
  out.length = copyParts(out, 0, parts);
  return out;
}

function firstAtOrAfter(segment: Segment, from: number, to: number, time: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeAt(segment, mid) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
