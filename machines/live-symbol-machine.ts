import { assign, sendParent, setup, type ActorRefFrom } from 'xstate';
import { addHistory, fillGap, type LiveLoadPlan } from '../actors/live-history-loader.js';
import type { Interval } from '../model/bar.js';
import type { LiveDataEngine } from '../data-plane/live-data-engine.js';
import type { SymbolReport } from './symbol-machine.js';
import { failureOf, type SymbolFailure, type SymbolStatus } from '../model/symbol-status.js';

export interface LiveSymbolInput {
  symbol: string;
  streams: Interval[];
  origin: 'configured' | 'dynamic';
  engine: LiveDataEngine;
  plan: LiveLoadPlan;
}

export interface LiveSymbolContext extends LiveSymbolInput {
  /** History bars received on add. */
  loaded: number;
  gapFills: number;
  /** Set when the feed came back while this symbol was still loading: it fills once active. */
  gapSince: number | undefined;
  /** A drop that happened during a fill: filled next. */
  queuedGap: number | undefined;
  error: SymbolFailure | undefined;
  /** The last gap fill that failed; the symbol streams on without the missed bars. */
  fillError: SymbolFailure | undefined;
}

export type LiveSymbolEvent =
  /** The feed reconnected: fetch what was missed since `downSince`. */
  | { type: 'GAP'; downSince: number }
  | { type: 'DRAIN' }
  | { type: 'DRAINED' }
  | { type: 'CANCEL' }
  | { type: 'ABORT'; error: SymbolFailure };

/**
 * One symbol of a live session. It is subscribed before it loads, so no minute falls between
 * its history and its first live bar: `loading` fetches trailing days and today so far while the
 * feed's bars for it wait in the data plane, then both are merged. A feed reconnect sends it
 * back through `filling` (reported as `catchingUp`, the same catch-up path), hidden from the
 * strategy while the missed bars are fetched; every way out of `filling` shows it again.
 *
 * It reports the same statuses as the backtest symbol machine, so views and the control API
 * read both alike.
 */
export const liveSymbolMachine = setup({
  types: {
    context: {} as LiveSymbolContext,
    input: {} as LiveSymbolInput,
    events: {} as LiveSymbolEvent,
  },
  actors: { addHistory, fillGap },
  guards: {
    gapWaiting: ({ context }) => context.gapSince !== undefined,
  },
  actions: {
    reportStatus: sendParent(({ context }, params: { status: SymbolStatus }): SymbolReport => ({
      type: 'SYMBOL_STATUS',
      symbol: context.symbol,
      status: params.status,
      ...(context.error ? { error: context.error } : {}),
    })),
    recordLoaded: assign({ loaded: (_, received: number) => received }),
    recordLoadError: assign({ error: (_, error: unknown) => failureOf(error) }),
    recordAbort: assign({ error: (_, failure: SymbolFailure) => failure }),
    rememberGap: assign({ gapSince: ({ context }, downSince: number) => Math.min(context.gapSince ?? downSince, downSince) }),
    hideForFill: ({ context }) => context.engine.beginFill(context.symbol),
    /** A no-op after a fill that completed; otherwise writes back what is held and shows the symbol. */
    showAgain: ({ context }) => context.engine.completeFill(context.symbol),
    queueGap: assign({ queuedGap: ({ context }, downSince: number) => Math.min(context.queuedGap ?? downSince, downSince) }),
    recordFill: assign({ gapFills: ({ context }) => context.gapFills + 1, gapSince: ({ context }) => context.queuedGap, queuedGap: undefined, fillError: undefined }),
    recordFillError: assign({ gapSince: ({ context }) => context.queuedGap, queuedGap: undefined, fillError: (_, error: unknown) => failureOf(error) }),
  },
}).createMachine({
  id: 'liveSymbol',
  context: ({ input }) => ({ ...input, loaded: 0, gapFills: 0, gapSince: undefined, queuedGap: undefined, error: undefined, fillError: undefined }),
  initial: 'loading',
  on: {
    ABORT: { target: '.failed', actions: { type: 'recordAbort', params: ({ event }) => event.error } },
    CANCEL: '.removed',
    GAP: { actions: { type: 'rememberGap', params: ({ event }) => event.downSince } },
  },
  states: {
    loading: {
      entry: { type: 'reportStatus', params: { status: 'loading' } },
      invoke: {
        src: 'addHistory',
        input: ({ context }) => ({ symbol: context.symbol, engine: context.engine, plan: context.plan }),
        onDone: { target: 'active', actions: { type: 'recordLoaded', params: ({ event }) => event.output.received } },
        onError: { target: 'failed', actions: { type: 'recordLoadError', params: ({ event }: { event: { error: unknown } }) => event.error } },
      },
    },
    active: {
      entry: { type: 'reportStatus', params: { status: 'active' } },
      always: { guard: 'gapWaiting', target: 'filling' },
      on: {
        GAP: { target: 'filling', actions: { type: 'rememberGap', params: ({ event }) => event.downSince } },
        DRAIN: 'draining',
      },
    },
    filling: {
      entry: ['hideForFill', { type: 'reportStatus', params: { status: 'catchingUp' } }],
      exit: 'showAgain',
      invoke: {
        src: 'fillGap',
        input: ({ context }) => ({ symbol: context.symbol, engine: context.engine, plan: context.plan }),
        onDone: { target: 'active', actions: 'recordFill' },
        onError: { target: 'active', actions: { type: 'recordFillError', params: ({ event }: { event: { error: unknown } }) => event.error } },
      },
      on: {
        // A drop during the fill: its bars may be past what this fill fetches, so another fill follows.
        GAP: { actions: { type: 'queueGap', params: ({ event }) => event.downSince } },
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

export type LiveSymbolActorRef = ActorRefFrom<typeof liveSymbolMachine>;
