import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse';
import { INTERVAL_MS, type Bar, type Interval } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import { SessionError } from '../../model/session-error.js';
import type { BarStore } from '../../model/bar-store.js';
import { assertInterval, MAX_TIME, MIN_TIME } from '../bars/bar-store-arguments.js';
import { monthOf, monthRange } from '../bars/bar-partition.js';
import { detectLayout, type CsvLayout } from './csv-header.js';
import { parseCsvTime } from './csv-time.js';
import { LocalTimeZone } from './local-time.js';
import { assertValidSymbol } from '../../model/symbol-name.js';

export interface CsvImportOptions {
  file: string;
  symbol: string;
  store: BarStore;
  /** Default `1m`. Every bar's time must fall on a multiple of it (epoch-aligned). */
  interval?: Interval;
  /** For times written without an offset (exchange-local). Default `America/New_York`. */
  timeZone?: string;
  /** Import the good rows and report the bad ones, instead of importing nothing. */
  skipBad?: boolean;
  onProgress?: (progress: { rows: number; bytes: number; totalBytes: number }) => void;
}

export interface CsvImportReport {
  /** Data rows read (the header and blank lines not counted). */
  rows: number;
  /** Bars written to the store: one per distinct time. */
  imported: number;
  /** Bad rows left out (only with `skipBad`). */
  skipped: number;
  /** Good rows whose time a later row repeated: the later row won. */
  duplicates: number;
  /** The first `MAX_REPORTED` bad rows. */
  bad: Array<{ line: number; reason: string }>;
  /** Earliest and latest imported bar time, epoch ms. */
  first?: number;
  last?: number;
}

export const MAX_REPORTED = 100;
const PROGRESS_EVERY = 50_000;
/** A CSV row of OHLCV is rarely under 40 bytes: size the columns to the file, up to where doubling is cheaper than guessing. */
const BYTES_PER_ROW = 40;
const MAX_INITIAL_ROWS = 1 << 21;
const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Imports a vendor CSV of bars into `store` for one symbol. The file is streamed and checked
 * whole before anything is written: with bad rows and without `skipBad` it throws `BAD_INPUT`
 * listing them and the store is unchanged. Bars are then put one month at a time (each month
 * lands whole or not at all), so a re-import of the same file leaves the store as it was; if
 * a month cannot be written after others were, `IMPORT_INCOMPLETE` says which months landed.
 */
export async function importCsv(options: CsvImportOptions): Promise<CsvImportReport> {
  const { file, store, skipBad = false, onProgress } = options;
  const symbol = assertValidSymbol(options.symbol);
  const interval = assertInterval(options.interval ?? '1m');
  const zone = new LocalTimeZone(options.timeZone ?? 'America/New_York');
  let totalBytes: number;
  try {
    totalBytes = (await stat(file)).size;
  } catch (error) {
    throw new SessionError('BAD_INPUT', `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { file }, { cause: error });
  }

  const rows = await readRows(file, zone, INTERVAL_MS[interval], totalBytes, onProgress);
  if (rows.badCount > 0 && !skipBad) {
    const listed = rows.bad.slice(0, 5).map(({ line, reason }) => `line ${line}: ${reason}`).join('; ');
    const more = rows.badCount > 5 ? `; and ${rows.badCount - 5} more` : '';
    throw new SessionError('BAD_INPUT', `${rows.badCount} bad ${rows.badCount === 1 ? 'row' : 'rows'} in ${file}: ${listed}${more}. Nothing was imported. Fix them or pass --skip-bad.`, { file, bad: rows.bad, badCount: rows.badCount });
  }

  const bars = uniqueByTime(rows.bars);
  await putByMonth(store, symbol, interval, bars, file);
  return {
    rows: rows.count,
    imported: bars.length,
    skipped: rows.badCount,
    duplicates: rows.bars.length - bars.length,
    bad: rows.bad,
    ...(bars.length > 0 ? { first: bars.t[0]!, last: bars.t[bars.length - 1]! } : {}),
  };
}

interface ReadRows {
  count: number;
  bars: BarColumns;
  bad: Array<{ line: number; reason: string }>;
  badCount: number;
}

function readRows(file: string, zone: LocalTimeZone, step: number, totalBytes: number, onProgress: CsvImportOptions['onProgress']): Promise<ReadRows> {
  const result: ReadRows = { count: 0, bars: new BarColumns(Math.min(MAX_INITIAL_ROWS, Math.ceil(totalBytes / BYTES_PER_ROW))), bad: [], badCount: 0 };
  const input = createReadStream(file);
  // Blank lines come through as records so that line numbers can be counted here: asking
  // csv-parse for them per record (`info`, `on_record`) costs more than the rest of the import.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false });
  let layout: CsvLayout | undefined;
  let nextLine = 1;
  const values = new Float64Array(FIELDS.length);
  const fail = (line: number, reason: string) => {
    result.badCount++;
    if (result.bad.length < MAX_REPORTED) result.bad.push({ line, reason });
  };

  const onRecord = (record: string[]) => {
    const line = nextLine;
    nextLine += 1 + newlinesIn(record);
    if (record.length === 1 && record[0]!.trim() === '') return;
    if (!layout) {
      const found = detectLayout(record);
      if (typeof found === 'string') throw new SessionError('BAD_INPUT', `${file} line ${line}: ${found}.`, { file, line });
      layout = found;
      return;
    }
    result.count++;
    if (onProgress && result.count % PROGRESS_EVERY === 0) onProgress({ rows: result.count, bytes: input.bytesRead, totalBytes });
    if (record.length !== layout.columns) return fail(line, `expected ${layout.columns} columns like the header, got ${record.length}`);
    const timeText = layout.date === undefined ? record[layout.time]! : `${record[layout.date]!}T${record[layout.time]!}`;
    const t = parseCsvTime(timeText, zone);
    if (typeof t === 'string') return fail(line, t);
    if (t < MIN_TIME || t > MAX_TIME) return fail(line, `time ${JSON.stringify(timeText)} is before 1970 or after 9999`);
    if (t % step !== 0) return fail(line, `time ${JSON.stringify(timeText)} (${new Date(t).toISOString()}) is not on a ${step / 60_000}-minute boundary`);
    for (let k = 0; k < FIELDS.length; k++) {
      const text = record[layout[FIELDS[k]!]]!;
      // Number() reads an empty or blank field as 0: a missing value must not become a price.
      const value = text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '') ? Number.NaN : Number(text);
      if (!Number.isFinite(value)) return fail(line, `${FIELDS[k]} ${JSON.stringify(text)} is not a number`);
      if (value < 0) return fail(line, `${FIELDS[k]} ${text} is negative`);
      values[k] = value;
    }
    if (values[1]! < values[2]!) return fail(line, `high ${values[1]} is below low ${values[2]}`);
    result.bars.append(t, values[0]!, values[1]!, values[2]!, values[3]!, values[4]!);
  };

  return new Promise<ReadRows>((resolve, reject) => {
    const stop = (error: unknown) => {
      input.destroy();
      parser.destroy();
      reject(
        error instanceof CsvError
          ? new SessionError('BAD_INPUT', `${file} cannot be parsed as CSV near line ${nextLine}: ${error.message}`, { file, line: nextLine }, { cause: error })
          : error instanceof SessionError
            ? error
            : new SessionError('BAD_INPUT', `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { file }, { cause: error }),
      );
    };
    input.on('error', stop);
    parser.on('error', stop);
    parser.on('data', (record: string[]) => {
      try {
        onRecord(record);
      } catch (error) {
        stop(error);
      }
    });
    parser.on('end', () => {
      if (!layout) return stop(new SessionError('BAD_INPUT', `${file} is empty: expected a header row (timestamp, open, high, low, close, volume) and bars.`, { file }));
      onProgress?.({ rows: result.count, bytes: totalBytes, totalBytes });
      resolve(result);
    });
    input.pipe(parser);
  });
}

/** Newlines inside quoted fields: the record spans more than one line of the file. */
function newlinesIn(record: string[]): number {
  let count = 0;
  for (const field of record) {
    for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) count++;
  }
  return count;
}

/** Sorted by time, one bar per time, the row further down the file winning. */
function uniqueByTime(rows: BarColumns): BarColumns {
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

/**
 * Puts the bars a month at a time. A failure on the first month leaves the store unchanged and
 * is thrown as it is; a later one is `IMPORT_INCOMPLETE`, naming the months written and not.
 */
async function putByMonth(store: BarStore, symbol: string, interval: Interval, bars: BarColumns, file: string): Promise<void> {
  const batches = [...byMonth(bars)];
  const written: Array<{ month: string; bars: number }> = [];
  for (const batch of batches) {
    const month = monthOf(batch[0]!.t);
    try {
      await store.putBars(symbol, interval, batch);
    } catch (error) {
      if (written.length === 0) throw error;
      const left = batches.slice(written.length).map((rest) => monthOf(rest[0]!.t));
      const landed = written.map((entry) => `${entry.month} (${entry.bars} bars)`).join(', ');
      throw new SessionError(
        'IMPORT_INCOMPLETE',
        `Importing ${file} stopped at ${month}: ${error instanceof Error ? error.message : String(error)} Written: ${landed}. Not written: ${left.join(', ')}. Fix the cause and import the file again: the months already written are replaced with the same bars.`,
        { file, written, notWritten: left },
        { cause: error },
      );
    }
    written.push({ month, bars: batch.length });
  }
}

/** The bars in batches of one UTC month, the store's unit of writing. */
function* byMonth(bars: BarColumns): Generator<Bar[]> {
  let from = 0;
  while (from < bars.length) {
    const end = monthRange(monthOf(bars.t[from]!)).end;
    let to = from;
    while (to < bars.length && bars.t[to]! < end) to++;
    yield bars.slice(from, to);
    from = to;
  }
}
