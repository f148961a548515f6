import { fromPromise } from 'xstate';
import type { Interval } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';
import { validateDayBars, validateDayColumns, type DayBars } from '../data-plane/day-bars.js';
import { totalDropped } from '../model/counts.js';
import { SessionError } from '../model/session-error.js';
import { sourceOf, type StoreSource, type SymbolJob, type SymbolLoad } from './symbol-job.js';

export type HistoryLoadInput = Omit<StoreSource, 'mode'> & { symbol: string };

/**
 * Loads one symbol's 1m bars for the session day from the bar store and validates them.
 * Rejects with `NO_DATA` when nothing usable is there, `LOAD_FAILED` when the store fails or
 * answers with something that is not a list of bars.
 */
export async function loadDayBars({ symbol, store, query, window, date }: HistoryLoadInput): Promise<DayBars> {
  let raw: unknown;
  try {
    raw = store.getBarColumns
      ? await store.getBarColumns(symbol, '1m' satisfies Interval, query.open, query.close)
      : await store.getBars(symbol, '1m' satisfies Interval, query.open, query.close);
  } catch (error) {
    if (error instanceof SessionError) throw new SessionError(error.code === 'NO_DATA' ? 'NO_DATA' : 'LOAD_FAILED', `Loading ${symbol} for ${date} failed: ${error.message}`, { symbol, date, cause: error.code }, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    throw new SessionError('LOAD_FAILED', `Loading ${symbol} for ${date} failed: ${message}`, { symbol, date }, { cause: error });
  }
  const day = Array.isArray(raw) ? validateDayBars(symbol, raw, window) : isColumns(raw) ? validateDayColumns(symbol, raw, window) : undefined;
  if (!day) {
    throw new SessionError('LOAD_FAILED', `The bar store answered ${describe(raw)} instead of a list of bars for ${symbol} on ${date}.`, { symbol, date });
  }
  if (day.length === 0) {
    const dropped = totalDropped(day.dropped);
    throw new SessionError(
      'NO_DATA',
      day.received === 0
        ? `No 1m bars for ${symbol} on ${date} in the bar store: import or generate them first (tapedeck data import / data generate).`
        : `None of the ${day.received} bars for ${symbol} on ${date} is usable (${dropped} dropped: ${JSON.stringify(day.dropped)}).`,
      { symbol, date, dropped: day.dropped },
    );
  }
  return day;
}

function isColumns(value: unknown): value is BarColumnsView {
  const columns = value as BarColumnsView | null;
  return (
    typeof columns === 'object' &&
    columns !== null &&
    Number.isInteger(columns.length) &&
    [columns.t, columns.o, columns.h, columns.l, columns.c, columns.v].every((column) => column instanceof Float64Array && column.length >= columns.length)
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return `a ${typeof value}`;
}

/** A backtest symbol's `load`: its day, handed to the session to be caught up with its pause. */
export const historyLoader = fromPromise<SymbolLoad, SymbolJob>(async ({ input }) => {
  const day = await loadDayBars({ ...sourceOf(input, 'backtest'), symbol: input.symbol });
  return { received: day.received, day };
});
