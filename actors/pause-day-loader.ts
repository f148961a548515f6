import { fromCallback } from 'xstate';
import type { Interval } from '../model/bar.js';
import type { DayBars } from '../data-plane/day-bars.js';
import { failureOf, type SymbolFailure } from '../model/symbol-status.js';
import { loadDayBars } from './history-loader.js';
import type { StoreSource } from './symbol-job.js';

export interface PauseDaysInput {
  source: StoreSource;
  symbols: ReadonlyArray<{ symbol: string; streams: readonly Interval[] }>;
}

/** Days loaded since the last report: each symbol's day, or why it could not be loaded. */
export interface DaysLoadedEvent {
  type: 'DAYS_LOADED';
  days: Map<string, DayBars | SymbolFailure>;
}

/**
 * Loads the day of every symbol of a pause for the session, in one actor rather than one per
 * symbol: the reads start in one tick, so a store with a batch read answers them in one call.
 * Days are reported as they settle, those settled together in one event: a store that answers
 * all at once costs one event, and a symbol whose read hangs holds back none of the others (it
 * alone meets the pause's load timeout). The report is a microtask, never a later turn of the
 * event loop: a pause over a store that answers at once ends before the clock's next step or an
 * add's `.then`, as the minute it was asked in requires.
 */
export const pauseDayLoader = fromCallback<{ type: 'NONE' }, PauseDaysInput>(({ input, sendBack }) => {
  let stopped = false;
  let ready = new Map<string, DayBars | SymbolFailure>();
  let flushing = false;
  const report = () => {
    flushing = false;
    const days = ready;
    ready = new Map();
    if (!stopped) sendBack({ type: 'DAYS_LOADED', days } satisfies DaysLoadedEvent as never);
  };
  for (const { symbol, streams } of input.symbols) {
    loadDayBars({ ...input.source, symbol, streams })
      .then(
        (day): DayBars | SymbolFailure => day,
        (error: unknown) => failureOf(error),
      )
      .then((day) => {
        ready.set(symbol, day);
        // Queued behind the other loads' continuations of this round: the days one batch read answered arrive together.
        if (flushing) return;
        flushing = true;
        queueMicrotask(report);
      });
  }
  return () => {
    stopped = true;
  };
});
