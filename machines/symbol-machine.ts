import { assign, fromPromise, sendParent, setup, spawnChild, stopChild, type ActorRefFrom, type DoneActorEvent, type ErrorActorEvent } from 'xstate';
import type { SymbolJob, SymbolLoad, SymbolSource } from '../actors/symbol-job.js';
import type { Interval } from '../model/bar.js';
import { type SymbolStatus, type SymbolFailure, failureOf } from '../model/symbol-status.js';

export type SymbolOrigin = 'configured' | 'dynamic';

export interface SymbolInput {
  symbol: string;
  streams: Interval[];
  origin: SymbolOrigin;
  source: SymbolSource;
  /** Backtest: where the symbol's statuses go, for its session to hand on after each of its steps (see backtestSymbolMachine). */
  statuses?: SymbolReport[];
}

export interface SymbolContext extends SymbolInput {
  /** Bars the store or history source returned on load, valid or not. (The bar counters are the engine's.) */
  loaded: number;
  error: SymbolFailure | undefined;
  /** Gap fills that completed (live: the feed came back after a drop). */
  gapFills: number;
  /** Set when the feed came back while this symbol was not active: it catches up once active. */
  gapSince: number | undefined;
  /** A drop that happened during a catch-up: caught up next. */
  queuedGap: number | undefined;
  /** The last gap fill that failed; the symbol streams on without the missed bars. */
  fillError: SymbolFailure | undefined;
}

export type SymbolEvent =
  | { type: 'LOAD' }
  /** Backtest: the session loaded the symbol's day (`received` bars) with the others of its pause, and stages it for their catch-up. */
  | { type: 'LOADED'; received: number }
  /** The session wrote the symbol's history up to its clock. */
  | { type: 'CAUGHT_UP' }
  /** The feed reconnected: fetch what was missed since `downSince`. */
  | { type: 'GAP'; downSince: number }
  | { type: 'DRAIN' }
  | { type: 'DRAINED' }
  /** Removed by the user: whatever it was doing stops. */
  | { type: 'CANCEL' }
  /** Failed from outside: load timeout, session stopped, catch-up failed. */
  | { type: 'ABORT'; error: SymbolFailure; /** Bars received by the load it ends, when not what the symbol recorded. */ loaded?: number }
  /** The symbol's own load (live) ended. */
  | DoneActorEvent<SymbolLoad, 'load'>
  | ErrorActorEvent<unknown, 'load'>
  /** The symbol's own catch-up (live gap fill) ended. */
  | DoneActorEvent<number, 'catchUp'>
  | ErrorActorEvent<unknown, 'catchUp'>;

/** A symbol's new status: what its actor reports, and what the session tells its observers. */
export interface SymbolStatusChange {
  symbol: string;
  origin: SymbolOrigin;
  status: SymbolStatus;
  error?: SymbolFailure;
}

/** What a symbol actor tells its session. */
export type SymbolReport = { type: 'SYMBOL_STATUS' } & SymbolStatusChange;

/** The report of a symbol entering `status`, its failure included when it has one. */
export function statusReport(context: SymbolContext, status: SymbolStatus): SymbolReport {
  return { type: 'SYMBOL_STATUS', symbol: context.symbol, origin: context.origin, status, ...(context.error ? { error: context.error } : {}) };
}

function suppliedByMode<T>(name: string) {
  return fromPromise<T, SymbolJob>(() => Promise.reject(new Error(`The symbol chart's ${name} actor is supplied by the session mode (provide).`)));
}

/**
 * One symbol of a session, in either mode, spawned by the session machine: queued, it loads
 * its history, is caught up to the session clock, streams, and ends removed or failed. Every
 * state is a status and reports itself to the session.
 *
 * The mode supplies the actors (`provide`). Live, `loadDay` fetches and writes the symbol's
 * history and the symbol goes straight to `active`; `catchUp` is the gap fill after a feed drop.
 * In a backtest the session loads the days of every symbol of a pause in one read, sends each
 * `LOADED` (or `ABORT` with the reason), catches them all up at once and sends `CAUGHT_UP`: its
 * mode starts no load and no catch-up of the symbol's own. `hide`/`show` bracket a catch-up a
 * symbol runs on its own (live); every way out of `catchingUp` passes through `show`.
 */
export const symbolMachine = setup({
  types: {
    context: {} as SymbolContext,
    input: {} as SymbolInput,
    events: {} as SymbolEvent,
  },
  actors: {
    loadDay: suppliedByMode<SymbolLoad>('loadDay'),
    catchUp: suppliedByMode<number>('catchUp'),
  },
  guards: {
    gapWaiting: ({ context }) => context.gapSince !== undefined,
  },
  actions: {
    reportStatus: sendParent(({ context }, params: { status: SymbolStatus }) => statusReport(context, params.status)),
    recordLoad: assign({ loaded: (_, received: number) => received }),
    recordLoadError: assign({ error: (_, error: unknown) => failureOf(error) }),
    recordAbort: assign(({ context }, abort: { error: SymbolFailure; loaded?: number }) => ({ error: abort.error, loaded: abort.loaded ?? context.loaded })),
    rememberGap: assign({ gapSince: ({ context }, downSince: number) => Math.min(context.gapSince ?? downSince, downSince) }),
    queueGap: assign({ queuedGap: ({ context }, downSince: number) => Math.min(context.queuedGap ?? downSince, downSince) }),
    recordFill: assign({ gapFills: ({ context }) => context.gapFills + 1, gapSince: ({ context }) => context.queuedGap, queuedGap: undefined, fillError: undefined }),
    recordFillError: assign({ gapSince: ({ context }) => context.queuedGap, queuedGap: undefined, fillError: (_, error: unknown) => failureOf(error) }),
    /** The symbol's own load (live), spawned rather than invoked: a backtest's session loads its symbols' days itself. */
    startLoad: spawnChild('loadDay', { id: 'load', input: ({ context }) => ({ symbol: context.symbol, streams: context.streams, source: context.source }) }),
    stopLoad: stopChild('load'),
    /**
     * The symbol's own catch-up, spawned rather than invoked: a backtest, whose session catches
     * every symbol of a pause up at once, supplies no-ops and so creates no actor per symbol.
     */
    startCatchUp: spawnChild('catchUp', { id: 'catchUp', input: ({ context }) => ({ symbol: context.symbol, streams: context.streams, source: context.source }) }),
    stopCatchUp: stopChild('catchUp'),
    /** Supplied by the mode: hide the symbol from the strategy while it catches up on its own. */
    hide: () => undefined,
    /** Supplied by the mode: show it again, writing back what arrived meanwhile. */
    show: () => undefined,
  },
}).createMachine({
  id: 'symbol',
  context: ({ input }) => ({
    ...input,
    loaded: 0,
    error: undefined,
    gapFills: 0,
    gapSince: undefined,
    queuedGap: undefined,
    fillError: undefined,
  }),
  initial: 'queued',
  on: {
    ABORT: { target: '.failed', actions: { type: 'recordAbort', params: ({ event }) => event } },
    CANCEL: '.removed',
    GAP: { actions: { type: 'rememberGap', params: ({ event }) => event.downSince } },
  },
  states: {
    queued: {
      entry: { type: 'reportStatus', params: { status: 'queued' } },
      on: { LOAD: 'loading' },
    },
    loading: {
      entry: [{ type: 'reportStatus', params: { status: 'loading' } }, 'startLoad'],
      exit: 'stopLoad',
      on: {
        // Live: the load wrote the history, caught up to the feed.
        'xstate.done.actor.load': { target: 'active', actions: { type: 'recordLoad', params: ({ event }) => event.output.received } },
        'xstate.error.actor.load': { target: 'failed', actions: { type: 'recordLoadError', params: ({ event }: { event: ErrorActorEvent<unknown, 'load'> }) => event.error } },
        // Backtest: the session loaded the day and catches it up with the others of the pause.
        LOADED: { target: 'catchingUp', actions: { type: 'recordLoad', params: ({ event }) => event.received } },
      },
    },
    catchingUp: {
      entry: ['hide', 'startCatchUp', { type: 'reportStatus', params: { status: 'catchingUp' } }],
      exit: ['stopCatchUp', 'show'],
      on: {
        CAUGHT_UP: 'active',
        'xstate.done.actor.catchUp': { target: 'active', actions: 'recordFill' },
        'xstate.error.actor.catchUp': { target: 'active', actions: { type: 'recordFillError', params: ({ event }: { event: ErrorActorEvent<unknown, 'catchUp'> }) => event.error } },
        // A drop during the catch-up: its bars may be past what this one fetches, so another follows.
        GAP: { actions: { type: 'queueGap', params: ({ event }) => event.downSince } },
        DRAIN: 'draining',
      },
    },
    active: {
      entry: { type: 'reportStatus', params: { status: 'active' } },
      always: { guard: 'gapWaiting', target: 'catchingUp' },
      on: {
        GAP: { target: 'catchingUp', actions: { type: 'rememberGap', params: ({ event }) => event.downSince } },
        DRAIN: 'draining',
      },
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

/** A symbol actor's status: its state's name, in either mode. */
export function symbolStatus(ref: SymbolActorRef): SymbolStatus {
  return ref.getSnapshot().value as SymbolStatus;
}
