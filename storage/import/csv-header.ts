import { SessionError } from '../../model/session-error.js';

/** Where each field of a bar is in a CSV row. `date` is set when the time is split over a date and a time column. */
export interface CsvLayout {
  time: number;
  date?: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** The column naming each row's symbol, in files of many symbols. */
  symbol?: number;
  columns: number;
  /** The file has no header row: its first row is data. */
  headerless: boolean;
}

/** The fields `--columns` can name. */
export type CsvField = 'time' | 'date' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'symbol';
const FIELDS: readonly CsvField[] = ['time', 'date', 'open', 'high', 'low', 'close', 'volume', 'symbol'];

/**
 * `--columns`: either the fields of a headerless file by position (`time,open,high,low,close,volume`,
 * an empty entry or `-` for a column to ignore), or, for a file with a header, which header name
 * holds a field (`time=Bar Start,volume=Qty`); fields not named are found as usual.
 */
export type ColumnSpec = { headerless: true; fields: ReadonlyArray<CsvField | undefined> } | { headerless: false; names: Partial<Record<CsvField, string>> };

const PRICE_NAMES = {
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
} as const;
/** One column holding the whole time, by vendor: generic, Databento (`ts_event`), Polygon flat files (`window_start`), Polygon aggregates (`t`). */
const STAMP_NAMES = ['timestamp', 'datetime', 'tsevent', 'windowstart', 'ts', 't'];
const DATE_NAMES = ['date', 'day', 'tradedate'];
const CLOCK_NAMES = ['time'];
const SYMBOL_NAMES = ['symbol', 'ticker', 'sym'];

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Reads `--columns`; a mistake in it is `INVALID_OPTION`, a usage error. */
export function parseColumnSpec(text: string): ColumnSpec {
  const entries = text.split(',').map((entry) => entry.trim());
  const invalid = (why: string) => new SessionError('INVALID_OPTION', `--columns ${JSON.stringify(text)}: ${why}. Name fields by position (time,open,high,low,close,volume; "-" skips a column) for a headerless file, or map them to header names (time=Bar Start,volume=Qty).`, { columns: text });
  const isField = (name: string): name is CsvField => (FIELDS as readonly string[]).includes(name);
  if (entries.some((entry) => entry.includes('='))) {
    const names: Partial<Record<CsvField, string>> = {};
    for (const entry of entries) {
      const [field = '', name = ''] = entry.split('=').map((part) => part.trim());
      if (!isField(field.toLowerCase())) throw invalid(`${JSON.stringify(field)} is not one of ${FIELDS.join(', ')}`);
      if (name === '') throw invalid(`${field} is mapped to no header name`);
      names[field.toLowerCase() as CsvField] = name;
    }
    return { headerless: false, names };
  }
  const fields = entries.map((entry) => {
    const field = entry.toLowerCase();
    if (field === '' || field === '-') return undefined;
    if (!isField(field)) throw invalid(`${JSON.stringify(entry)} is not one of ${FIELDS.join(', ')}`);
    return field;
  });
  const repeated = fields.find((field, i) => field !== undefined && fields.indexOf(field) !== i);
  if (repeated) throw invalid(`${repeated} is named twice`);
  const layout = toLayout(Object.fromEntries(fields.flatMap((field, i) => (field ? [[field, i]] : []))), fields.length, true);
  if (typeof layout === 'string') throw invalid(layout);
  return { headerless: true, fields };
}

/** The layout of a headerless file from `--columns` by position. */
export function positionalLayout(spec: Extract<ColumnSpec, { headerless: true }>): CsvLayout {
  return toLayout(Object.fromEntries(spec.fields.flatMap((field, i) => (field ? [[field, i]] : []))), spec.fields.length, true) as CsvLayout;
}

/**
 * Finds the bar's columns in a header row. Names are compared lower-cased with everything but
 * letters and digits removed, so `Open`, `<OPEN>`, `Date/Time`, `ts_event` and `Vol.` are all
 * recognized. `names` (from `--columns`) overrides the search for the fields it maps.
 * Returns what is missing, as a sentence, when the row is not a usable header.
 */
export function detectLayout(header: readonly string[], names: Partial<Record<CsvField, string>> = {}): CsvLayout | string {
  // A folder's files share their header: found once, not once a file (~20 µs each, cold).
  const key = JSON.stringify([names, header]);
  let found = detectedLayouts.get(key);
  if (found === undefined) {
    if (detectedLayouts.size >= REMEMBERED_HEADERS) detectedLayouts.clear();
    found = findLayout(header, names);
    detectedLayouts.set(key, found);
  }
  return found;
}

/** Layouts (never changed by their readers) by header and `--columns` names. */
const detectedLayouts = new Map<string, CsvLayout | string>();
const REMEMBERED_HEADERS = 64;

function findLayout(header: readonly string[], names: Partial<Record<CsvField, string>>): CsvLayout | string {
  const normalized = header.map(normalize);
  const find = (...candidates: readonly string[]) => {
    for (const candidate of candidates) {
      const index = normalized.indexOf(candidate);
      if (index >= 0) return index;
    }
    return -1;
  };
  const mapped: Partial<Record<CsvField, number>> = {};
  for (const [field, name] of Object.entries(names) as Array<[CsvField, string]>) {
    const index = normalized.indexOf(normalize(name));
    if (index < 0) return `the header has no column ${JSON.stringify(name)} (given for ${field} in --columns); it has ${header.map((column) => JSON.stringify(column)).join(', ')}`;
    mapped[field] = index;
  }
  const stamp = mapped.time ?? find(...STAMP_NAMES);
  const date = mapped.date ?? find(...DATE_NAMES);
  const clock = find(...CLOCK_NAMES);
  const split = mapped.time === undefined && stamp < 0 && date >= 0 && clock >= 0;
  const positions: Partial<Record<CsvField, number>> = {
    time: stamp >= 0 ? stamp : split ? clock : Math.max(clock, date),
    ...(split || (mapped.time !== undefined && mapped.date !== undefined) ? { date } : {}),
    ...Object.fromEntries(Object.entries(PRICE_NAMES).map(([field, candidates]) => [field, mapped[field as CsvField] ?? find(...candidates)])),
    symbol: mapped.symbol ?? find(...SYMBOL_NAMES),
  };
  return toLayout(positions, header.length, false, header);
}

function toLayout(positions: Partial<Record<CsvField, number>>, columns: number, headerless: boolean, header?: readonly string[]): CsvLayout | string {
  const at = (field: CsvField) => positions[field] ?? -1;
  const missing = [
    ...(at('time') < 0 ? ['a time column (timestamp, datetime, ts_event, window_start, t, time, or date and time)'] : []),
    ...Object.entries(PRICE_NAMES).flatMap(([field, candidates]) => (at(field as CsvField) < 0 ? [headerless ? field : `${field} (${candidates.join('/')})`] : [])),
  ];
  if (missing.length > 0) return `the ${headerless ? 'columns have' : 'header has'} no ${missing.join(', ')}${header ? `; it has ${header.map((name) => JSON.stringify(name)).join(', ')}` : ''}`;
  return {
    time: at('time'),
    ...(at('date') >= 0 && at('date') !== at('time') ? { date: at('date') } : {}),
    open: at('open'),
    high: at('high'),
    low: at('low'),
    close: at('close'),
    volume: at('volume'),
    ...(at('symbol') >= 0 ? { symbol: at('symbol') } : {}),
    columns,
    headerless,
  };
}
