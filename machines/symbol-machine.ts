import { assign, sendParent, setup, type ActorRefFrom } from 'xstate';
import { historyLoader, type HistoryLoadInput } from '../actors/history-loader.js';
import type { Interval } from '../model/bar.js';
import type { DayBars } from '../data-plane/day-bars.js';
import { emptyDropCounts, type DropCounts, type IntervalCounts } from '../model/counts.js';
import { type SymbolStatus, type SymbolFailure, failureOf } from '../model/symbol-status.js';

export interface SymbolInput {
  symbol: string;
  streams: Interval[];
  origin: 'configured' | 'dynamic';
  load: Omit<HistoryLoadInput, 'symbol'>;
}

export interface SymbolContext extends SymbolInput {
  /** Bars the store returned for the day, valid or not. */
  loaded: number;
  dropped: DropCounts;
  caughtUp: IntervalCounts;
  error: SymbolFailure | undefined;
}

export type SymbolEvent =
  | { type: 'LOAD' }
  | { type: 'CAUGHT_UP'; caughtUp: IntervalCounts }
  | { type: 'DRAIN' }
  | { type: 'DRAINED' }
  /** Removed by the user: whatever it was doing stops. */
  | { type: 'CANCEL' }
  /** Failed from outside: load timeout, session stopped, catch-up failed. */
  | { type: 'ABORT'; error: SymbolFailure };

/** What a symbol actor tells its session. */
export type SymbolReport =
  | { type: 'SYMBOL_STATUS'; symbol: string; status: SymbolStatus; error?: SymbolFailure }
  | { type: 'SYMBOL_LOADED'; symbol: string; day: DayBars };

/**
 * One symbol of a session, spawned by the session machine: it loads the symbol's day, waits to
 * be caught up, streams, and ends removed or failed. Every state reports itself to the session.
 */
export const symbolMachine = setup({
  types: {
    context: {} as SymbolContext,
    input: {} as SymbolInput,
    events: {} as SymbolEvent,
  },
  actors: {
    loadDay: historyLoader,
  },
  actions: {
    reportStatus: sendParent(({ context }, params: { status: SymbolStatus }): SymbolReport => ({
      type: 'SYMBOL_STATUS',
      symbol: context.symbol,
      status: params.status,
      ...(context.error ? { error: context.error } : {}),
    })),
    recordLoadedDay: assign({
      loaded: (_, day: DayBars) => day.received,
      dropped: (_, day: DayBars) => day.dropped,
    }),
    handDayToSession: sendParent((_, day: DayBars): SymbolReport => ({ type: 'SYMBOL_LOADED', symbol: day.symbol, day })),
    recordLoadError: assign({ error: (_, error: unknown) => failureOf(error) }),
    recordAbort: assign({ error: (_, failure: SymbolFailure) => failure }),
    recordCaughtUp: assign({ caughtUp: (_, caughtUp: IntervalCounts) => caughtUp }),
  },
}).createMachine({
  id: 'symbol',
  context: ({ input }) => ({ ...input, loaded: 0, dropped: emptyDropCounts(), caughtUp: {}, error: undefined }),
  initial: 'queued',
  on: {
    ABORT: { target: '.failed', actions: { type: 'recordAbort', params: ({ event }) => event.error } },
    CANCEL: '.removed',
  },
  states: {
    queued: {
      entry: { type: 'reportStatus', params: { status: 'queued' } },
      on: { LOAD: 'loading' },
    },
    loading: {
      entry: { type: 'reportStatus', params: { status: 'loading' } },
      invoke: {
        src: 'loadDay',
        input: ({ context }) => ({ ...context.load, symbol: context.symbol }),
        onDone: {
          target: 'catchingUp',
          actions: [
            { type: 'recordLoadedDay', params: ({ event }) => event.output },
            { type: 'handDayToSession', params: ({ event }) => event.output },
          ],
        },
        onError: { target: 'failed', actions: { type: 'recordLoadError', params: ({ event }: { event: { error: unknown } }) => event.error } },
      },
    },
    catchingUp: {
      entry: { type: 'reportStatus', params: { status: 'catchingUp' } },
      on: { CAUGHT_UP: { target: 'active', actions: { type: 'recordCaughtUp', params: ({ event }) => event.caughtUp } } },
    },
    active: {
      entry: { type: 'reportStatus', params: { status: 'active' } },
      on: { DRAIN: 'draining' },
    },
    draining: {
      entry: { type: 'reportStatus', params: { status: 'draining' } },
      on: { DRAINED: 'removed' },
    },
    removed: { type: 'final', entry: { type: 'reportStatus', params: { status: 'removed' } } },
    failed: { type: 'final', entry: { type: 'reportStatus', params: { status: 'failed' } } },
  },
});

export type SymbolActorRef = ActorRefFrom<typeof symbolMachine>;
