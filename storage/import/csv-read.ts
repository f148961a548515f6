import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { INTERVAL_MS, type Interval } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { SessionError } from '../../model/session-error.js';
import { MAX_TIME, MIN_TIME } from '../bars/bar-store-arguments.js';
import { uniqueByTime } from '../bars/bar-merge.js';
import { assertStoredInterval, type StoredInterval } from '../bars/arrow-partition.js';
import { detectLayout, parseColumnSpec, positionalLayout, type ColumnSpec, type CsvLayout } from './csv-header.js';
import { detectDelimiter, type CsvDelimiter } from './csv-delimiter.js';
import { CsvRecords, CsvSyntaxError } from './csv-records.js';
import { parseCsvTime, type EpochUnit } from './csv-time.js';
import { plainDecimal } from './plain-decimal.js';
import { IsoUtcDays } from './iso-utc-days.js';
import { DEFAULT_TIME_ZONE, LocalTimeZone } from './local-time.js';
import { assertValidSymbol, isValidSymbol } from '../../model/symbol-name.js';

export interface CsvReadOptions {
  /** A CSV file; a name ending in `.gz` is gunzipped as it is read. */
  file: string;
  /** The symbol of a file without a symbol column; a symbol column, when there is one, wins. */
  symbol?: string;
  /**
   * Default `1m`. Every intraday bar's time must fall on a multiple of it (epoch-aligned). A
   * `1d` bar (the Arrow store's only) is stored at 00:00 UTC of its date, and its time in the file must
   * be the midnight of that date in UTC or in `timeZone`.
   */
  interval?: StoredInterval;
  /** For times written without an offset (exchange-local). Default `America/New_York`. */
  timeZone?: string;
  /** What all-digit times count; by default told by their number of digits. */
  epochUnit?: EpochUnit;
  /** Which columns hold what, for a headerless file or unusual header names: see `ColumnSpec`. */
  columns?: ColumnSpec | string;
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
  /** Bars written per symbol. */
  symbols: Record<string, number>;
  /** Earliest and latest imported bar time, epoch ms. */
  first?: number;
  last?: number;
}

export const MAX_REPORTED = 100;
const PROGRESS_EVERY = 50_000;
/** A CSV row of OHLCV is rarely under 40 bytes: size the columns to the file, up to where doubling is cheaper than guessing. */
const BYTES_PER_ROW = 40;
const MAX_INITIAL_ROWS = 1 << 21;
/** Files up to this size are read in one call rather than streamed: it blocks for well under a millisecond. */
const WHOLE_FILE_BYTES = 1 << 20;
const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
const DAY_MS = 86_400_000;

/** A file read and checked, not yet written: what an import writes and reports. */
export interface ParsedCsv {
  interval: StoredInterval;
  /** Per symbol, sorted by time, one bar per time. */
  series: Map<string, BarColumnsView>;
  report: CsvImportReport;
}

/** Reads and checks a CSV file of bars, writing nothing: the reading half of `importCsv`, with its errors. */
export async function readCsvFile(options: CsvReadOptions): Promise<ParsedCsv> {
  const { file, skipBad = false, onProgress } = options;
  const symbol = options.symbol === undefined ? undefined : assertValidSymbol(options.symbol);
  const interval = assertStoredInterval(options.interval ?? '1m');
  const zone = new LocalTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE);
  const columns = typeof options.columns === 'string' ? parseColumnSpec(options.columns) : options.columns;
  const reading: Reading = { file, symbol, zone, interval, epochUnit: options.epochUnit, columns };
  let totalBytes: number;
  try {
    // Sync, as the read of a small file that follows it: no trip through the thread pool per file.
    totalBytes = statSync(file).size;
  } catch (error) {
    throw new SessionError('BAD_INPUT', `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { file }, { cause: error });
  }

  const rows = await readRows(reading, totalBytes, onProgress);
  if (rows.badCount > 0 && !skipBad) {
    const listed = rows.bad.slice(0, 5).map(({ line, reason }) => `line ${line}: ${reason}`).join('; ');
    const more = rows.badCount > 5 ? `; and ${rows.badCount - 5} more` : '';
    throw new SessionError('BAD_INPUT', `${rows.badCount} bad ${rows.badCount === 1 ? 'row' : 'rows'} in ${file}: ${listed}${more}. Nothing was imported. Fix them or pass --skip-bad.`, { file, bad: rows.bad, badCount: rows.badCount });
  }

  const series = new Map([...rows.bars].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, bars]) => [name, uniqueByTime(bars)]));
  let imported = 0;
  let first = Infinity;
  let last = -Infinity;
  const symbols: Record<string, number> = {};
  for (const [name, bars] of series) {
    imported += bars.length;
    symbols[name] = bars.length;
    first = Math.min(first, bars.t[0]!);
    last = Math.max(last, bars.t[bars.length - 1]!);
  }
  const report = {
    rows: rows.count,
    imported,
    skipped: rows.badCount,
    duplicates: rows.good - imported,
    bad: rows.bad,
    symbols,
    ...(imported > 0 ? { first, last } : {}),
  };
  return { interval, series, report };
}

interface Reading {
  file: string;
  symbol: string | undefined;
  zone: LocalTimeZone;
  interval: StoredInterval;
  epochUnit: EpochUnit | undefined;
  columns: ColumnSpec | undefined;
}

interface ReadRows {
  count: number;
  /** Rows that made a bar. */
  good: number;
  bars: Map<string, BarColumns>;
  bad: Array<{ line: number; reason: string }>;
  badCount: number;
}

function readRows(reading: Reading, totalBytes: number, onProgress: CsvReadOptions['onProgress']): Promise<ReadRows> {
  const { file } = reading;
  const rows = new RowReader(reading, totalBytes, onProgress);
  const failure = (error: unknown) =>
    error instanceof CsvSyntaxError
      ? new SessionError('BAD_INPUT', `${file} cannot be parsed as CSV near line ${error.line}: ${error.message}`, { file, line: error.line }, { cause: error })
      : error instanceof SessionError
        ? error
        : new SessionError('BAD_INPUT', `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { file }, { cause: error });

  const gzipped = file.toLowerCase().endsWith('.gz');
  if (!gzipped && totalBytes <= WHOLE_FILE_BYTES) {
    // A stream's machinery costs ~0.2 ms a file where one read from the page cache takes ~20 µs:
    // most of the time a folder of one-day files spent outside parsing.
    try {
      const whole = readFileSync(file, 'utf8');
      if (whole.length > 0) rows.take(whole);
      return Promise.resolve(rows.finish());
    } catch (error) {
      return Promise.reject(failure(error));
    }
  }
  const input = createReadStream(file);
  const text = gzipped ? input.pipe(createGunzip()) : input;
  rows.bytesRead = () => input.bytesRead;
  return new Promise<ReadRows>((resolve, reject) => {
    let stopped = false;
    const stop = (error: unknown) => {
      stopped = true;
      input.destroy();
      if (text !== input) text.destroy();
      reject(failure(error));
    };
    input.on('error', stop);
    if (text !== input) text.on('error', stop);
    text.setEncoding('utf8');
    text.on('data', (chunk: string) => {
      if (stopped) return;
      try {
        rows.take(chunk);
      } catch (error) {
        stop(error);
      }
    });
    text.on('end', () => {
      if (stopped) return;
      try {
        resolve(rows.finish());
      } catch (error) {
        stop(error);
      }
    });
  });
}

/**
 * One file's rows read into bars. A class, not closures made per file: the optimizer compiles a
 * method once for every file, where a closure made per file was compiled again for the files
 * after the one it first grew hot in (~25 ms of compiling, the rows unoptimized meanwhile).
 */
class RowReader {
  readonly result: ReadRows = { count: 0, good: 0, bars: new Map(), bad: [], badCount: 0 };
  /** Bytes of the file read so far, for progress: all of it, unless streamed. */
  bytesRead: () => number;
  readonly #reading: Reading;
  readonly #totalBytes: number;
  readonly #onProgress: CsvReadOptions['onProgress'];
  readonly #step: number;
  readonly #namedColumns: Parameters<typeof detectLayout>[1];
  readonly #times: IsoUtcDays;
  #layout: CsvLayout | undefined;
  /** The layout's columns of open, high, low, close and volume: a row read by name five times was a look-up by a changing key each time. */
  readonly #valueColumns = new Int32Array(FIELDS.length);
  // Rows of one symbol, the same as the last row's most of the time: no map look-up then.
  #lastSymbol = '';
  #lastBars: BarColumns | undefined;
  readonly #values = new Float64Array(FIELDS.length);
  #delimiter: CsvDelimiter = ',';
  /** Where the fields of the row being read start and end. */
  readonly #bounds = new Int32Array(64);
  #records: CsvRecords | undefined;

  constructor(reading: Reading, totalBytes: number, onProgress: CsvReadOptions['onProgress']) {
    this.#reading = reading;
    this.#totalBytes = totalBytes;
    this.#onProgress = onProgress;
    this.bytesRead = () => totalBytes;
    this.#step = reading.interval === '1d' ? DAY_MS : INTERVAL_MS[reading.interval as Interval];
    const { columns } = reading;
    if (columns?.headerless) this.#useLayout(positionalLayout(columns));
    this.#namedColumns = columns && !columns.headerless ? columns.names : undefined;
    this.#times = isoUtcDaysFor(reading.zone, reading.epochUnit);
  }

  take(chunk: string): void {
    if (!this.#records) {
      // The delimiter is read off the first chunk, so the splitter starts with it.
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      // Five lines are enough to tell it; 8 KB holds them, and splitting more cost ~0.1 ms a file.
      this.#delimiter = detectDelimiter(chunk.slice(0, 8 * 1024));
      this.#records = new CsvRecords(this.#delimiter, this);
    }
    this.#records.push(chunk);
  }

  finish(): ReadRows {
    const { result } = this;
    this.#records?.end();
    const layout = this.#layout;
    if (!layout || (layout.headerless && result.count === 0 && (this.#records?.line ?? 1) === 1)) {
      const { file } = this.#reading;
      throw new SessionError('BAD_INPUT', `${file} is empty: expected a header row (timestamp, open, high, low, close, volume) and bars.`, { file });
    }
    this.#onProgress?.({ rows: result.count, bytes: this.#totalBytes, totalBytes: this.#totalBytes });
    return result;
  }

  onLine(text: string, from: number, to: number, line: number): void {
    if (!this.#quickRow(text, from, to)) this.onRecord(text.slice(from, to).split(this.#delimiter), line);
  }

  onRecord(record: string[], line: number): void {
    if (record.length === 1 && record[0]!.trim() === '') return;
    const layout = this.#layout;
    if (!layout) {
      this.#useLayout(headerLayout(record, this.#namedColumns, this.#reading, line));
      return;
    }
    const { result } = this;
    if (++result.count % PROGRESS_EVERY === 0) this.#progress();
    if (record.length !== layout.columns) return this.#fail(line, `expected ${layout.columns} columns like the ${layout.headerless ? 'first row' : 'header'}, got ${record.length}`);
    const timeText = layout.date === undefined ? record[layout.time]! : `${record[layout.date]!} ${record[layout.time]!}`;
    const t = this.#barTime(timeText);
    if (typeof t === 'string') return this.#fail(line, t);
    const series = this.#seriesOf(layout.symbol === undefined ? this.#reading.symbol! : record[layout.symbol]!.trim().toUpperCase());
    if (typeof series === 'string') return this.#fail(line, series);
    const values = this.#values;
    for (let k = 0; k < FIELDS.length; k++) {
      const text = record[layout[FIELDS[k]!]]!;
      // Number() reads an empty or blank field as 0: a missing value must not become a price.
      const value = text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '') ? Number.NaN : Number(text);
      if (!Number.isFinite(value)) return this.#fail(line, `${FIELDS[k]} ${JSON.stringify(text)} is not a number`);
      if (value < 0) return this.#fail(line, `${FIELDS[k]} ${text} is negative`);
      values[k] = value;
    }
    if (values[1]! < values[2]!) return this.#fail(line, `high ${values[1]} is below low ${values[2]}`);
    series.append(t, values[0]!, values[1]!, values[2]!, values[3]!, values[4]!);
    result.good++;
  }

  /**
   * The usual row — as many fields as the layout, plain decimal prices and volume, a good time,
   * high not below low — read where it lies in the text: no array, no string per number. Any
   * other row returns false having changed nothing, and is read by `onRecord`, which says what
   * is wrong with it.
   */
  #quickRow(text: string, from: number, to: number): boolean {
    const layout = this.#layout;
    const bounds = this.#bounds;
    if (!layout || layout.columns > bounds.length / 2) return false;
    const delimiter = this.#delimiter;
    const count = layout.columns;
    let at = from;
    for (let k = 0; k < count; k++) {
      const next = text.indexOf(delimiter, at);
      const last = k === count - 1;
      // Too few fields, or too many.
      if (last ? next >= 0 && next < to : next < 0 || next >= to) return false;
      const end = last ? to : next;
      bounds[2 * k] = at;
      bounds[2 * k + 1] = end;
      at = end + 1;
    }
    const values = this.#values;
    const valueColumns = this.#valueColumns;
    for (let k = 0; k < FIELDS.length; k++) {
      const column = valueColumns[k]!;
      const value = plainDecimal(text, bounds[2 * column]!, bounds[2 * column + 1]!);
      if (Number.isNaN(value)) return false;
      values[k] = value;
    }
    if (values[1]! < values[2]!) return false;
    const timeFrom = bounds[2 * layout.time]!;
    const timeTo = bounds[2 * layout.time + 1]!;
    const t =
      layout.date === undefined
        ? this.#barTimeOf(this.#times.readAt(text, timeFrom, timeTo), text, timeFrom, timeTo)
        : this.#barTime(`${this.#fieldText(text, layout.date)} ${text.slice(timeFrom, timeTo)}`);
    if (typeof t === 'string') return false;
    const series = this.#seriesOf(layout.symbol === undefined ? this.#reading.symbol! : this.#fieldText(text, layout.symbol).trim().toUpperCase());
    if (typeof series === 'string') return false;
    // The count checked here, not in a call a row: see `#progress`.
    if (++this.result.count % PROGRESS_EVERY === 0) this.#progress();
    series.append(t, values[0]!, values[1]!, values[2]!, values[3]!, values[4]!);
    this.result.good++;
    return true;
  }

  #useLayout(found: CsvLayout): void {
    this.#layout = found;
    FIELDS.forEach((field, k) => (this.#valueColumns[k] = found[field]));
  }

  #fieldText(text: string, column: number): string {
    return text.slice(this.#bounds[2 * column]!, this.#bounds[2 * column + 1]!);
  }

  /**
   * Tells the progress listener, every `PROGRESS_EVERY` rows: the caller checks the count, so
   * the other rows make no call (most rows of a folder are read before the optimizer inlines
   * calls, and until then each costs more than the check).
   */
  #progress(): void {
    this.#onProgress?.({ rows: this.result.count, bytes: this.bytesRead(), totalBytes: this.#totalBytes });
  }

  #fail(line: number, reason: string): void {
    const { result } = this;
    result.badCount++;
    if (result.bad.length < MAX_REPORTED) result.bad.push({ line, reason });
  }

  #seriesOf(name: string): BarColumns | string {
    if (name === this.#lastSymbol && this.#lastBars) return this.#lastBars;
    const { result } = this;
    let bars = result.bars.get(name);
    if (!bars) {
      if (!isValidSymbol(name)) return `symbol ${JSON.stringify(name)} is not a valid symbol (A-Z first, then A-Z, 0-9, "." or "-", at most 15)`;
      bars = new BarColumns(result.bars.size === 0 ? Math.min(MAX_INITIAL_ROWS, Math.ceil(this.#totalBytes / BYTES_PER_ROW)) : 1024);
      result.bars.set(name, bars);
    }
    this.#lastSymbol = name;
    this.#lastBars = bars;
    return bars;
  }

  /** A row's time as the bar's `t`, or why it cannot be one. */
  #barTime(timeText: string): number | string {
    return this.#barTimeOf(this.#times.read(timeText), timeText, 0, timeText.length);
  }

  /** The time read from `text[from, to)` as the bar's `t`, or why it cannot be one: the text is cut out for a message only. */
  #barTimeOf(t: number | string, text: string, from: number, to: number): number | string {
    if (typeof t === 'string') return t;
    if (t < MIN_TIME || t > MAX_TIME) return `time ${JSON.stringify(text.slice(from, to))} is before 1970 or after 9999`;
    const { interval, zone } = this.#reading;
    if (interval === '1d') {
      const day = dayStart(t, zone);
      return day >= 0 ? day : `time ${JSON.stringify(text.slice(from, to))} is not the start of a day in UTC or ${zone.timeZone}, as a 1d bar's must be`;
    }
    const step = this.#step;
    if (t % step !== 0) return `time ${JSON.stringify(text.slice(from, to))} (${new Date(t).toISOString()}) is not on a ${step / 60_000}-minute boundary`;
    return t;
  }
}

/** The ISO-date reader of the last file read, with what its parser reads times in. */
let lastTimes: { timeZone: string; epochUnit: EpochUnit | undefined; times: IsoUtcDays } | undefined;

/**
 * A reader of ISO UTC times for a file, the last file's when it reads times alike: the dates it
 * learned are the full parser's, which only the time zone and the epoch unit change. A folder of
 * one-day files then reads each file's first row by its clock too. With a reader of its own, each
 * file's first row went to the full parser, a path the optimizer had not seen when it compiled
 * the reader during the first file: the second file threw that code away, and the rows ran
 * unoptimized until it was compiled again (~30 ms of a 500-file import).
 */
function isoUtcDaysFor(zone: LocalTimeZone, epochUnit: EpochUnit | undefined): IsoUtcDays {
  if (lastTimes?.timeZone !== zone.timeZone || lastTimes.epochUnit !== epochUnit) {
    lastTimes = { timeZone: zone.timeZone, epochUnit, times: new IsoUtcDays((text) => parseCsvTime(text, zone, epochUnit)) };
  }
  return lastTimes.times;
}

/** The layout from a file's first row, or `BAD_INPUT` saying what is missing, with a hint when the row looks like data. */
function headerLayout(record: string[], names: Parameters<typeof detectLayout>[1], reading: Reading, line: number): CsvLayout {
  const { file } = reading;
  const found = detectLayout(record, names);
  if (typeof found === 'string') {
    const looksLikeData = record.some((field) => typeof parseCsvTime(field, reading.zone, reading.epochUnit) === 'number');
    const hint = looksLikeData ? ' The first row looks like data: for a file without a header, pass --columns with its fields in order, e.g. --columns time,open,high,low,close,volume.' : '';
    throw new SessionError('BAD_INPUT', `${file} line ${line}: ${found}.${hint}`, { file, line });
  }
  if (found.symbol === undefined && reading.symbol === undefined) {
    throw new SessionError('BAD_INPUT', `${file} has no symbol column (symbol, ticker): pass --symbol, or name the file after its symbol (AAPL.csv, AAPL_1m.csv.gz).`, { file });
  }
  return found;
}

/** A daily bar's time as 00:00 UTC of its date, given as the midnight of that date in UTC or in `zone`; -1 if it is neither. */
function dayStart(t: number, zone: LocalTimeZone): number {
  if (t % DAY_MS === 0) return t;
  for (const day of [Math.floor(t / DAY_MS), Math.floor(t / DAY_MS) + 1]) {
    const date = new Date(day * DAY_MS);
    if (zone.toEpochMs(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), day * DAY_MS) === t) return day * DAY_MS;
  }
  return -1;
}
