import { fromPromise } from 'xstate';
import type { DayBars } from '../data-plane/day-bars.js';
import { failureOf, type SymbolFailure } from '../model/symbol-status.js';
import { loadDayBars } from './history-loader.js';
import type { StoreSource } from './symbol-job.js';

export interface CarriedDaysInput {
  source: StoreSource;
  symbols: string[];
}

/**
 * Loads the new day of every symbol a session carries over from the day before, in one go: the
 * reads are made in one tick, so a store with a batch read answers them in one call. A symbol
 * whose day cannot be loaded gets its failure instead; the others load regardless.
 */
export const carriedDaysLoader = fromPromise<Map<string, DayBars | SymbolFailure>, CarriedDaysInput>(async ({ input }) => {
  const { source, symbols } = input;
  const loads = symbols.map((symbol) =>
    loadDayBars({ ...source, symbol }).then(
      (day): DayBars | SymbolFailure => day,
      (error: unknown) => failureOf(error),
    ),
  );
  const days = await Promise.all(loads);
  return new Map(symbols.map((symbol, i) => [symbol, days[i]!]));
});
