import { fromCallback } from 'xstate';
import type { Interval } from '../model/bar.js';
import type { DayBars } from '../data-plane/day-bars.js';
import { failureOf, type SymbolFailure } from '../model/symbol-status.js';
import { loadDayBars, loadDaysInBatch } from './history-loader.js';
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
 * symbol, and from one batch read when the store has one: 500 configured symbols are one read
 * of the day and one event. Symbols the batch does not settle load one by one. Days are
 * reported as they settle, those settled together in one event, so a symbol whose read hangs
 * holds back none of the others (it alone meets the pause's load timeout). The report is a
 * microtask, never a later turn of the event loop: a pause over a store that answers at once
 * ends before the clock's next step or an add's `.then`, as the minute it was asked in requires.
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
  const settle = (symbol: string, day: DayBars | SymbolFailure) => {
    ready.set(symbol, day);
    // Queued behind the other loads' continuations of this round: days that settle together arrive together.
    if (flushing) return;
    flushing = true;
    queueMicrotask(report);
  };
  const loadRest = (batched: ReadonlyMap<string, DayBars | SymbolFailure>) => {
    for (const { symbol, streams } of input.symbols) {
      const day = batched.get(symbol);
      if (day) settle(symbol, day);
      else
        loadDayBars({ ...input.source, symbol, streams }).then(
          (loaded) => settle(symbol, loaded),
          (error: unknown) => settle(symbol, failureOf(error)),
        );
    }
  };
  const batched = loadDaysInBatch(input.source, input.symbols.map(({ symbol }) => symbol));
  // Without a batch read each symbol is read at once, in the step that started the pause.
  if (batched) void batched.then(loadRest);
  else loadRest(new Map());
  return () => {
    stopped = true;
  };
});
