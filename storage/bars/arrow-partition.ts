import path from 'node:path';
import { INTERVALS, type Interval } from '../../model/bar.js';
import { SessionError } from '../../model/session-error.js';

/** What the Arrow store holds: the intervals a session streams, and daily bars. */
export type StoredInterval = Interval | '1d';
export const STORED_INTERVALS: readonly StoredInterval[] = [...INTERVALS, '1d'];

export function assertStoredInterval(value: unknown): StoredInterval {
  if (typeof value !== 'string' || !(STORED_INTERVALS as readonly string[]).includes(value)) {
    throw new SessionError('INVALID_INTERVAL', `Unknown interval ${JSON.stringify(value)}: use one of ${STORED_INTERVALS.join(', ')}.`, { interval: value });
  }
  return value as StoredInterval;
}

const DAY_MS = 86_400_000;
const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;
const YEAR_KEY = /^\d{4}$/;
/** Past this many partitions a query lists the folders that exist instead of probing each key. */
const PROBED_PARTITIONS = 8;

/**
 * Intraday bars are partitioned by UTC day (`YYYY-MM-DD`): a regular session of any US or
 * European exchange falls inside one, so a day of all symbols is one folder. Daily bars are
 * partitioned by UTC year (`YYYY`): a folder per day would hold one bar per symbol.
 */
export function partitionKey(interval: StoredInterval, epochMs: number): string {
  const date = new Date(epochMs);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  if (interval === '1d') return year;
  return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

/** `[start, end)` of a partition in epoch ms. */
export function partitionRange(interval: StoredInterval, key: string): { start: number; end: number } {
  const year = Number(key.slice(0, 4));
  if (interval === '1d') return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  const start = Date.UTC(year, Number(key.slice(5, 7)) - 1, Number(key.slice(8, 10)));
  return { start, end: start + DAY_MS };
}

export function isPartitionKey(interval: StoredInterval, name: string): boolean {
  return interval === '1d' ? YEAR_KEY.test(name) : DAY_KEY.test(name);
}

/** Keys of the partitions overlapping `[start, end)` (non-empty), in order, when few enough to probe; `undefined` means list the folder. */
export function probedPartitions(interval: StoredInterval, start: number, end: number): string[] | undefined {
  const keys: string[] = [];
  for (let key = partitionKey(interval, start); ; ) {
    keys.push(key);
    if (keys.length > PROBED_PARTITIONS) return undefined;
    const next = partitionRange(interval, key).end;
    if (next >= end) return keys;
    key = partitionKey(interval, next);
  }
}

/** `<dir>/<interval>/<key>`: the folder of one partition's segment files. */
export function partitionDir(dir: string, interval: StoredInterval, key: string): string {
  return path.join(dir, interval, key);
}

const SEGMENT_FILE = /^(\d{8})\.arrow$/;

/** Segment `seq` of a partition: `00000042.arrow`. Sequence numbers only grow, so names sort in write order. */
export function segmentName(seq: number): string {
  return `${String(seq).padStart(8, '0')}.arrow`;
}

/** The sequence number of a segment file name, or `undefined` for any other file. */
export function segmentSeq(name: string): number | undefined {
  const match = SEGMENT_FILE.exec(name);
  return match ? Number(match[1]) : undefined;
}
