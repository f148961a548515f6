import { assign, emit, enqueueActions, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import { liveClockActor, type LiveTickEvent } from '../actors/live-clock-actor.js';
import { liveFeedActor, type FeedStatusEvent } from '../actors/live-feed-actor.js';
import type { LiveLoadPlan, FeedSource } from '../actors/symbol-job.js';
import { MINUTE_MS, type Interval } from '../model/bar.js';
import type { LiveDataEngine } from '../data-plane/live-data-engine.js';
import type { FeedStatus, LiveFeed } from '../model/live-feed.js';
import { liveSymbolMachine } from './live-symbol-machine.js';
import { symbolStatus, type SymbolReport } from './symbol-machine.js';
import { removalOf, symbolActorId, symbolStatusEmitted, type SymbolEntry, type SymbolRoster, type SymbolStatusEmitted } from './symbol-roster.js';
import type { SymbolFailure } from '../model/symbol-status.js';

/** Everything the live session machine needs, fixed at creation. */
export interface LivePlan {
  load: LiveLoadPlan;
  feed: LiveFeed;
  tickMs: number;
  configured: ReadonlyArray<{ symbol: string; streams: Interval[] }>;
}

/** The feed as the session saw it. */
export interface FeedReport {
  name: string;
  state: Exclude<FeedStatus['state'], 'subscribed'> | 'idle' | 'stopped';
  connects: number;
  drops: number;
  /** Session clock when the feed dropped; cleared once the symbols were sent to fill the gap. */
  downSince: number | undefined;
  warnings: Array<{ code: string; message: string }>;
  error: { code: string; message: string } | undefined;
}

export interface LiveSessionContext {
  engine: LiveDataEngine;
  plan: LivePlan;
  symbols: SymbolRoster;
  feed: FeedReport;
  endedBy: 'close' | 'stop' | 'feedFailed' | undefined;
}

export type LiveSessionEvent =
  | { type: 'START' }
  | { type: 'STOP' }
  | LiveTickEvent
  | { type: 'ADD_SYMBOL'; symbol: string; streams: Interval[]; wallTime: number }
  | { type: 'REMOVE_SYMBOL'; symbol: string; immediate: boolean }
  | FeedStatusEvent
  | SymbolReport;

export type LiveSessionEmitted =
  | SymbolStatusEmitted
  | { type: 'feed'; status: FeedStatus };

const STOPPED: SymbolFailure = { code: 'STOPPED', message: 'The session ended before the symbol was loaded.' };

function sourceOf(context: LiveSessionContext): FeedSource {
  return { mode: 'live', engine: context.engine, plan: context.plan.load };
}

/**
 * The live session statechart. The wall clock runs whatever happens, so unlike a backtest
 * there is no session-wide pause: a symbol being added or gap-filled is hidden on its own
 * (in its actor's `loading`/`catchingUp`) and the other symbols stream on. The feed and the tick
 * source are actors of `running`, so leaving it — at the close, on `STOP`, or when the feed
 * fails for good — closes the connection.
 */
export const liveSessionMachine = setup({
  types: {
    context: {} as LiveSessionContext,
    input: {} as { engine: LiveDataEngine; plan: LivePlan },
    events: {} as LiveSessionEvent,
    emitted: {} as LiveSessionEmitted,
  },
  actors: {
    symbol: liveSymbolMachine,
    feed: liveFeedActor,
    clock: liveClockActor,
  },
  guards: {
    marketOpen: ({ context }) => context.engine.isOpen,
    atClose: ({ context }) => context.engine.atClose,
    feedFailed: ({ event }) => event.type === 'FEED_STATUS' && event.status.state === 'failed',
    /**
     * Connected again after a drop — or for the first time, when a minute closed while the feed
     * was still connecting: symbols loaded at the start may have missed its bar.
     */
    feedResumed: ({ context, event }) => {
      if (event.type !== 'FEED_STATUS' || event.status.state !== 'connected') return false;
      if (event.status.resumed) return true;
      const { downSince } = context.feed;
      return context.feed.connects === 0 && downSince !== undefined && Math.floor(context.engine.clock.now() / MINUTE_MS) > Math.floor(downSince / MINUTE_MS);
    },
  },
  actions: {
    registerConfiguredSymbols: enqueueActions(({ context, enqueue }) => {
      const symbols: Record<string, SymbolEntry> = {};
      const at = { sim: context.engine.clock.now(), wall: Date.now() };
      enqueue.assign(({ context: c, spawn }) => {
        for (const { symbol, streams } of c.plan.configured) {
          c.engine.open(symbol, streams);
          const input = { symbol, streams, origin: 'configured' as const, source: sourceOf(c) };
          symbols[symbol] = { ref: spawn('symbol', { id: symbolActorId(symbols, symbol, 'configured'), input }), streams, origin: 'configured', addedAt: at };
        }
        return { symbols };
      });
      // A live session has no pause to batch loads in: each symbol loads as soon as it is there.
      for (const { symbol } of context.plan.configured) enqueue.sendTo(({ context: c }) => c.symbols[symbol]!.ref, { type: 'LOAD' });
    }),
    registerAddedSymbol: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'ADD_SYMBOL') return;
      const { symbol, streams, wallTime } = event;
      const id = symbolActorId(context.symbols, symbol, 'dynamic');
      enqueue(({ context: c }) => c.engine.open(symbol, streams));
      enqueue.assign(({ context: c, spawn }) => ({
        symbols: {
          ...c.symbols,
          [symbol]: {
            ref: spawn('symbol', { id, input: { symbol, streams, origin: 'dynamic', source: sourceOf(c) } }),
            streams,
            origin: 'dynamic',
            addedAt: { sim: c.engine.clock.now(), wall: wallTime },
          },
        },
      }));
      enqueue.sendTo(({ context: c }) => c.symbols[symbol]!.ref, { type: 'LOAD' });
      enqueue.sendTo('feed', { type: 'SUBSCRIBE', symbols: [symbol] });
    }),
    removeSymbol: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'REMOVE_SYMBOL') return;
      const entry = context.symbols[event.symbol];
      if (!entry) return;
      const removal = removalOf(entry, event.immediate, ['active', 'catchingUp']);
      if (removal === 'join') return;
      if (removal === 'drain') {
        enqueue(({ context: c }) => c.engine.drain(event.symbol));
        enqueue.sendTo(entry.ref, { type: 'DRAIN' });
        return;
      }
      enqueue.sendTo(entry.ref, { type: 'CANCEL' });
      enqueue(({ context: c }) => c.engine.remove(event.symbol));
      enqueue.sendTo('feed', { type: 'UNSUBSCRIBE', symbols: [event.symbol] });
    }),
    /** Graceful removals end once their last minute is in; `all` ends every one (closing). */
    completeDrains: enqueueActions(({ context, enqueue }, params: { all: boolean }) => {
      const done = context.engine.drained(params.all);
      if (done.length === 0) return;
      for (const symbol of done) {
        enqueue(({ context: c }) => c.engine.remove(symbol));
        const entry = context.symbols[symbol];
        if (entry) enqueue.sendTo(entry.ref, { type: 'DRAINED' });
      }
      if (!params.all) enqueue.sendTo('feed', { type: 'UNSUBSCRIBE', symbols: done });
    }),
    /** A symbol that failed to load holds no data and wants no bars. */
    releaseFailedSymbol: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'SYMBOL_STATUS' || event.status !== 'failed') return;
      enqueue(({ context: c }) => c.engine.remove(event.symbol));
      enqueue.sendTo('feed', { type: 'UNSUBSCRIBE', symbols: [event.symbol] });
    }),
    emitSymbolStatus: emit(({ event }) => symbolStatusEmitted(event as SymbolReport)),
    emitFeedStatus: emit(({ event }) => {
      if (event.type !== 'FEED_STATUS') throw new Error('emitFeedStatus needs FEED_STATUS');
      return { type: 'feed' as const, status: event.status };
    }),
    recordFeedStatus: assign({
      feed: ({ context, event }) => {
        if (event.type !== 'FEED_STATUS' || event.status.state === 'subscribed') return context.feed;
        const { status } = event;
        const feed = { ...context.feed, state: status.state };
        if (status.state === 'connected') {
          feed.connects++;
          feed.downSince = undefined;
        }
        if (status.state === 'disconnected' && feed.downSince === undefined) {
          feed.drops++;
          feed.downSince = context.engine.clock.now();
        }
        if (status.state === 'warning') feed.warnings = [...feed.warnings, { code: status.code, message: status.message }];
        if (status.state === 'failed') feed.error = { code: status.code, message: status.message };
        return feed;
      },
    }),
    /** The feed is back: every symbol fetches what it missed (those still loading do it once active). */
    startGapFill: enqueueActions(({ context, enqueue }) => {
      const downSince = context.feed.downSince;
      if (downSince === undefined) return;
      for (const entry of Object.values(context.symbols)) {
        const status = symbolStatus(entry.ref);
        if (status === 'queued' || status === 'loading' || status === 'active' || status === 'catchingUp') enqueue.sendTo(entry.ref, { type: 'GAP', downSince });
      }
      enqueue.assign({ feed: { ...context.feed, downSince: undefined } });
    }),
    /**
     * A symbol added while connected loaded its history up to the minute it was added; if a
     * minute closed before the service acted on its subscription, that minute's bar reached no
     * one: it is filled like a gap.
     */
    fillLateSubscriptions: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'FEED_STATUS' || event.status.state !== 'subscribed') return;
      const minute = Math.floor(context.engine.clock.now() / MINUTE_MS);
      for (const symbol of event.status.symbols) {
        const entry = context.symbols[symbol];
        if (!entry || Math.floor(entry.addedAt.sim / MINUTE_MS) === minute) continue;
        const status = symbolStatus(entry.ref);
        if (status === 'loading' || status === 'active' || status === 'catchingUp') enqueue.sendTo(entry.ref, { type: 'GAP', downSince: entry.addedAt.sim });
      }
    }),
    markFeedConnecting: assign({ feed: ({ context }) => ({ ...context.feed, downSince: context.engine.clock.now() }) }),
    tickData: ({ context }) => context.engine.tick(),
    endBy: assign({ endedBy: (_, reason: 'close' | 'stop' | 'feedFailed') => reason }),
    /** Symbols still loading will never stream; the ones being filled show what they hold. */
    settleSymbols: enqueueActions(({ context, enqueue }) => {
      for (const [symbol, entry] of Object.entries(context.symbols)) {
        const status = symbolStatus(entry.ref);
        if (status === 'queued' || status === 'loading') {
          enqueue.sendTo(entry.ref, { type: 'ABORT', error: STOPPED });
          enqueue(({ context: c }) => c.engine.remove(symbol));
        } else if (status === 'catchingUp') {
          enqueue(({ context: c }) => c.engine.completeFill(symbol));
        }
      }
      enqueue.assign({ feed: { ...context.feed, state: context.feed.state === 'failed' ? 'failed' : 'stopped' } });
    }),
  },
}).createMachine({
  id: 'liveSession',
  context: ({ input }) => ({
    engine: input.engine,
    plan: input.plan,
    symbols: {},
    feed: { name: input.plan.feed.name, state: 'idle', connects: 0, drops: 0, downSince: undefined, warnings: [], error: undefined },
    endedBy: undefined,
  }),
  initial: 'idle',
  on: {
    SYMBOL_STATUS: { actions: 'emitSymbolStatus' },
  },
  states: {
    idle: {
      on: {
        // Until the feed first connects, it is as good as down: minutes may close unseen.
        START: { target: 'running', actions: 'markFeedConnecting' },
        STOP: { target: 'closed', actions: { type: 'endBy', params: 'stop' } },
      },
    },
    running: {
      entry: 'registerConfiguredSymbols',
      invoke: [
        {
          id: 'feed',
          src: 'feed',
          // The configured symbols are subscribed as the feed starts: it does not exist yet when they are registered.
          input: ({ context }) => ({
            feed: context.plan.feed,
            ingest: (bars) => context.engine.ingest(bars),
            sentThrough: (t) => context.engine.feedSentThrough(t),
            initialSymbols: Object.keys(context.symbols),
          }),
        },
        { id: 'clock', src: 'clock', input: ({ context }) => ({ tickMs: context.plan.tickMs }) },
      ],
      initial: 'waitingForOpen',
      on: {
        ADD_SYMBOL: { actions: 'registerAddedSymbol' },
        REMOVE_SYMBOL: { actions: 'removeSymbol' },
        SYMBOL_STATUS: { actions: ['emitSymbolStatus', 'releaseFailedSymbol'] },
        FEED_STATUS: [
          { guard: 'feedFailed', target: 'closing', actions: ['recordFeedStatus', 'emitFeedStatus', { type: 'endBy', params: 'feedFailed' }] },
          { guard: 'feedResumed', actions: ['startGapFill', 'recordFeedStatus', 'emitFeedStatus'] },
          { actions: ['fillLateSubscriptions', 'recordFeedStatus', 'emitFeedStatus'] },
        ],
        TICK: { actions: ['tickData', { type: 'completeDrains', params: { all: false } }] },
        STOP: { target: 'closing', actions: { type: 'endBy', params: 'stop' } },
      },
      states: {
        waitingForOpen: {
          always: { guard: 'marketOpen', target: 'streaming' },
        },
        streaming: {
          always: { guard: 'atClose', target: '#liveSession.closing', actions: { type: 'endBy', params: 'close' } },
        },
      },
    },
    closing: {
      entry: ['tickData', 'settleSymbols', { type: 'completeDrains', params: { all: true } }],
      always: 'closed',
    },
    closed: {},
  },
});

export type LiveSessionActorRef = ActorRefFrom<typeof liveSessionMachine>;
export type LiveSessionSnapshot = SnapshotFrom<typeof liveSessionMachine>;
