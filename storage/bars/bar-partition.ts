import path from 'node:path';
import type { Interval } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import { SessionError } from '../../model/session-error.js';

/**
 * One bar file: a symbol's bars of one interval for one UTC month, column by column, so a file
 * is parsed into typed arrays without an object per bar. UTC because the store does not know
 * the exchange: a session day always falls in one or two (adjacent) partitions.
 */
export interface PartitionFile {
  version: 1;
  symbol: string;
  interval: Interval;
  t: number[];
  o: number[];
  h: number[];
  l: number[];
  c: number[];
  v: number[];
}

const COLUMNS = ['t', 'o', 'h', 'l', 'c', 'v'] as const;
export const MONTH_FILE = /^\d{4}-\d{2}\.json$/;

/** The `YYYY-MM` month of an epoch-ms time, UTC. */
export function monthOf(epochMs: number): string {
  const date = new Date(epochMs);
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `[start, end)` of a `YYYY-MM` month in epoch ms. */
export function monthRange(month: string): { start: number; end: number } {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7)) - 1;
  return { start: Date.UTC(year, index, 1), end: Date.UTC(year, index + 1, 1) };
}

/** Months overlapping `[start, end)` (non-empty), in order. */
export function monthsBetween(start: number, end: number): string[] {
  const months: string[] = [];
  for (let month = monthOf(start); ; ) {
    months.push(month);
    const next = monthRange(month).end;
    if (next >= end) return months;
    month = monthOf(next);
  }
}

/** `<dir>/<SYMBOL>/<interval>/<YYYY-MM>.json`. The symbol must already be validated. */
export function partitionPath(dir: string, symbol: string, interval: Interval, month: string): string {
  return path.join(dir, symbol, interval, `${month}.json`);
}

/** The file's text, one key a line, so `head` shows what a file holds without printing thousands of numbers. */
export function stringifyPartition(symbol: string, interval: Interval, series: BarColumns): string {
  const column = (name: (typeof COLUMNS)[number]) => `  "${name}": ${JSON.stringify(Array.from(series[name].subarray(0, series.length)))}`;
  return `{\n  "version": 1,\n  "symbol": ${JSON.stringify(symbol)},\n  "interval": ${JSON.stringify(interval)},\n${COLUMNS.map(column).join(',\n')}\n}\n`;
}

/**
 * Parses and checks a partition file's text against where it sits: a file that cannot be
 * trusted throws `CORRUPT_FILE` naming it, because an empty answer would look like a day
 * without data and a session would run on it.
 */
export function parsePartition(text: string, file: string, expected: { symbol: string; interval: Interval; month: string }): BarColumns {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, `it is not valid JSON (${error instanceof Error ? error.message : String(error)}); it may have been truncated`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw corrupt(file, 'it does not hold a JSON object');
  const record = data as Record<string, unknown>;
  if (record.version !== 1) throw corrupt(file, `it has version ${JSON.stringify(record.version)}, expected 1`);
  if (record.symbol !== expected.symbol || record.interval !== expected.interval) {
    throw corrupt(file, `it holds ${JSON.stringify(record.symbol)} ${JSON.stringify(record.interval)} bars where ${expected.symbol} ${expected.interval} bars belong`);
  }
  const columns = COLUMNS.map((name) => {
    const column = record[name];
    if (!Array.isArray(column)) throw corrupt(file, `column "${name}" is missing or not an array`);
    return column as unknown[];
  });
  const length = columns[0]!.length;
  const uneven = COLUMNS.find((_, k) => columns[k]!.length !== length);
  if (uneven) throw corrupt(file, `its columns differ in length (t has ${length} values, ${uneven} has ${columns[COLUMNS.indexOf(uneven)]!.length})`);

  const { start, end } = monthRange(expected.month);
  const series = new BarColumns(length);
  const row = new Float64Array(COLUMNS.length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < COLUMNS.length; k++) {
      const value = columns[k]![i];
      if (typeof value !== 'number' || !Number.isFinite(value)) throw corrupt(file, `${COLUMNS[k]}[${i}] is ${JSON.stringify(value)}, not a finite number`);
      row[k] = value;
    }
    const t = row[0]!;
    if (t < start || t >= end) throw corrupt(file, `t[${i}] = ${t} is outside ${expected.month}`);
    if (i > 0 && t <= series.t[i - 1]!) throw corrupt(file, `t[${i}] = ${t} does not come after t[${i - 1}]: bars must be sorted, one per time`);
    series.append(t, row[1]!, row[2]!, row[3]!, row[4]!, row[5]!);
  }
  return series;
}

function corrupt(file: string, what: string): SessionError {
  return new SessionError('CORRUPT_FILE', `Bar file ${file} is corrupt: ${what}. Restore it from a backup or delete it and import that month again.`, { file });
}
