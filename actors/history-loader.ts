import { INTERVAL_MS, INTERVALS, type Interval } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';
import type { BarStore } from '../model/bar-store.js';
import { validateDayBars, validateDayColumns, type DayBars } from '../data-plane/day-bars.js';
import { totalDropped } from '../model/counts.js';
import { SessionError } from '../model/session-error.js';
import { failureOf, type SymbolFailure } from '../model/symbol-status.js';
import type { StoreSource } from './symbol-job.js';

export type HistoryLoadInput = Omit<StoreSource, 'mode'> & { symbol: string; streams?: readonly Interval[] };

/**
 * Loads one symbol's bars for the session day from the bar store and validates them: its 1m
 * bars, or, when it has none that day, the finest interval stored that is no coarser than the
 * finest of `streams` (a symbol imported at 5m streams 5m and coarser). Rejects with `NO_DATA`
 * when nothing usable is there, saying which intervals the store does have that day, and
 * `LOAD_FAILED` when the store fails or answers with something that is not a list of bars.
 */
export async function loadDayBars(input: HistoryLoadInput): Promise<DayBars> {
  const { symbol, date } = input;
  const finest = Math.min(...(input.streams ?? ['1m']).map((interval) => INTERVAL_MS[interval]));
  const day = await readDay(input, '1m');
  if (day.received > 0) return usable(day, symbol, date);
  for (const interval of INTERVALS) {
    if (interval === '1m' || INTERVAL_MS[interval] > finest) continue;
    const coarser = await readDay(input, interval);
    if (coarser.received > 0) return usable({ ...coarser, interval }, symbol, date);
  }
  // Only to say what is there: a store that cannot answer for an interval (one of your own that
  // keeps 1m bars only, say) has none of it, and the symbol is still NO_DATA.
  const stored: Interval[] = [];
  for (const interval of INTERVALS) {
    if (INTERVAL_MS[interval] > finest && ((await readDay(input, interval).catch(() => undefined))?.received ?? 0) > 0) stored.push(interval);
  }
  const asked = INTERVALS.find((interval) => INTERVAL_MS[interval] === finest) ?? '1m';
  throw new SessionError(
    'NO_DATA',
    stored.length === 0
      ? `No ${asked === '1m' ? '1m' : `1m to ${asked}`} bars for ${symbol} on ${date} in the bar store: import or generate them first (tapedeck data import / data generate).`
      : `No bars for ${symbol} on ${date} at ${asked} or finer; the bar store has ${stored.join(', ')} bars that day: stream ${stored[0]} or coarser (--streams ${stored[0]}), or import ${asked} bars.`,
    { symbol, date, streams: input.streams ?? ['1m'], stored },
  );
}

/**
 * The days of many symbols from one read of their 1m bars, when the store has a batch read
 * (`getManyBarColumns`): for each symbol the batch answered with 1m bars, its day, or why none
 * of them is usable — what `loadDayBars` would say. A symbol the batch has no 1m bars for is
 * left out, and so is every symbol when the batch fails (a corrupt file, a bad name):
 * `loadDayBars` reads those one by one, so a failure is told on the symbol it concerns. Never
 * rejects. `undefined`, at once, when the store has no batch read: then every symbol is read alone.
 */
export function loadDaysInBatch(source: Omit<StoreSource, 'mode'>, symbols: readonly string[]): Promise<Map<string, DayBars | SymbolFailure>> | undefined {
  const read = source.store.getManyBarColumns?.bind(source.store);
  return read && readBatch(source, symbols, read);
}

async function readBatch(source: Omit<StoreSource, 'mode'>, symbols: readonly string[], read: NonNullable<BarStore['getManyBarColumns']>): Promise<Map<string, DayBars | SymbolFailure>> {
  const days = new Map<string, DayBars | SymbolFailure>();
  const { query } = source;
  let batch: unknown;
  try {
    batch = await read(symbols, '1m', query.open, query.close);
  } catch {
    return days;
  }
  if (!(batch instanceof Map)) return days;
  for (const symbol of symbols) {
    const raw: unknown = batch.get(symbol);
    if (raw === undefined) continue;
    try {
      const day = validated(raw, symbol, source);
      if (day.received > 0) days.set(symbol, usable(day, symbol, source.date));
    } catch (error) {
      days.set(symbol, failureOf(error));
    }
  }
  return days;
}

/** A day the store answered with bars: the ones the session may use, or `NO_DATA` when none is. */
function usable(day: DayBars, symbol: string, date: string): DayBars {
  if (day.length > 0) return day;
  const dropped = totalDropped(day.dropped);
  throw new SessionError(
    'NO_DATA',
    `None of the ${day.received} ${day.interval ?? '1m'} bars for ${symbol} on ${date} is usable (${dropped} dropped: ${JSON.stringify(day.dropped)}).`,
    { symbol, date, dropped: day.dropped },
  );
}

async function readDay(input: HistoryLoadInput, interval: Interval): Promise<DayBars> {
  const { symbol, store, query, date } = input;
  let raw: unknown;
  try {
    raw = store.getBarColumns ? await store.getBarColumns(symbol, interval, query.open, query.close) : await store.getBars(symbol, interval, query.open, query.close);
  } catch (error) {
    if (error instanceof SessionError) throw new SessionError(error.code === 'NO_DATA' ? 'NO_DATA' : 'LOAD_FAILED', `Loading ${symbol} for ${date} failed: ${error.message}`, { symbol, date, cause: error.code }, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    throw new SessionError('LOAD_FAILED', `Loading ${symbol} for ${date} failed: ${message}`, { symbol, date }, { cause: error });
  }
  return validated(raw, symbol, input);
}

/** The store's answer for one symbol's day, validated; `LOAD_FAILED` when it is not a list of bars. */
function validated(raw: unknown, symbol: string, { window, date }: Pick<StoreSource, 'window' | 'date'>): DayBars {
  const day = Array.isArray(raw) ? validateDayBars(symbol, raw, window) : isColumns(raw) ? validateDayColumns(symbol, raw, window) : undefined;
  if (!day) {
    throw new SessionError('LOAD_FAILED', `The bar store answered ${describe(raw)} instead of a list of bars for ${symbol} on ${date}.`, { symbol, date });
  }
  return day;
}

function isColumns(value: unknown): value is BarColumnsView {
  const columns = value as BarColumnsView | null;
  if (typeof columns !== 'object' || columns === null || !Number.isInteger(columns.length)) return false;
  // Written out, not a list of the columns checked in a loop: this runs for every symbol of every day.
  const fits = (column: unknown) => column instanceof Float64Array && column.length >= columns.length;
  return fits(columns.t) && fits(columns.o) && fits(columns.h) && fits(columns.l) && fits(columns.c) && fits(columns.v);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return `a ${typeof value}`;
}
