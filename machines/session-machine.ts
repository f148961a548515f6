import { assign, createActor, enqueueActions, setup, type ActorRefFrom, type AnyActorRef, type SnapshotFrom } from 'xstate';
import { backtestClock, type AdvanceEvent, type BacktestSpeed, type TickEvent } from '../actors/backtest-clock.js';
import { catchUp } from '../actors/catch-up.js';
import { pauseDayLoader, type DaysLoadedEvent } from '../actors/pause-day-loader.js';
import type { BacktestDataEngine } from '../data-plane/backtest-data-engine.js';
import type { IntervalCounts } from '../model/counts.js';
import { MINUTE_MS, type Interval } from '../model/bar.js';
import type { BarWindow } from '../data-plane/day-bars.js';
import type { BarStore } from '../model/bar-store.js';
import { symbolStatus, type SymbolActorRef, type SymbolInput, type SymbolReport } from './symbol-machine.js';
import { backtestSymbolMachine } from './backtest-symbol-machine.js';
import { nextSymbolActorId, removalOf, symbolActorId, type SymbolEntry, type SymbolRoster } from './symbol-roster.js';
import type { SymbolFailure } from '../model/symbol-status.js';
import type { PauseRecord } from '../model/pause-record.js';
import type { StoreSource } from '../actors/symbol-job.js';

/** Everything the session machine needs to know about the day it runs, fixed at creation. */
export interface SessionPlan {
  date: string;
  /** Bars are kept when `open <= t < close` (regular hours, or extended when that option is on). */
  window: BarWindow;
  /** Where derived buckets are aligned: the regular session open. */
  alignTo: number;
  /** What the loader asks the store for: the exchange's whole day. */
  query: BarWindow;
  store: BarStore;
  speed: BacktestSpeed;
  maxBatchMinutes: number;
  loadTimeoutMs: number;
  configured: ReadonlyArray<{ symbol: string; streams: Interval[] }>;
}

/**
 * A symbol in the current catch-up: still loading, loaded and staged, or out (failed/removed).
 * `reloading`/`reloaded`: a symbol carried over from the day before, loaded and staged without
 * leaving `active`.
 */
type BatchState = 'loading' | 'reloading' | 'loaded' | 'reloaded' | 'out';

export interface SessionContext {
  engine: BacktestDataEngine;
  plan: SessionPlan;
  symbols: SymbolRoster;
  /** Symbols waiting for the next catch-up, in request order. */
  pending: string[];
  batch: Record<string, BatchState>;
  /** Symbols carried over to a new day with their actors (still `active`), waiting for their day. */
  carried: string[];
  /** How many of `batch` are still loading: the guard that ends a pause is checked on every event, so it must not scan the batch. */
  loading: number;
  draining: string[];
  /** The simulated time the clock is cleared to run to: the close at `'max'`, else what `ADVANCE` added. */
  clearedTo: number;
  requests: RequestInbox;
  /** The statuses the symbols reported, in order, until the session's owner takes them (after each step). */
  statuses: SymbolReport[];
  stopRequested: boolean;
  openPause: (Omit<PauseRecord, 'durationMs'> & { startedPerf: number }) | undefined;
  pauses: PauseRecord[];
}

export type SessionEvent =
  | { type: 'START' }
  | { type: 'STOP' }
  /** After the close: run `plan`'s day in this session; its symbols still active carry over. */
  | { type: 'NEXT_DAY'; plan: SessionPlan }
  | TickEvent
  | AdvanceEvent
  | { type: 'SET_SPEED'; speed: BacktestSpeed }
  | { type: 'ADD_SYMBOL'; symbol: string; streams: Interval[]; wallTime: number }
  | { type: 'REMOVE_SYMBOL'; symbol: string; immediate: boolean }
  | DaysLoadedEvent;

export type SessionEmitted =
  | { type: 'pause'; phase: 'begin'; reason: PauseRecord['reason']; simTime: number; symbols: string[] }
  | { type: 'pause'; phase: 'end'; record: PauseRecord };

/**
 * How many `ADD_SYMBOL`/`REMOVE_SYMBOL` events were sent but not yet handled. A request made
 * during a clock step (from a bar listener) waits in the actor's mailbox until the step ends;
 * the step reads this to end after the minute the request was made in.
 */
export interface RequestInbox {
  waiting: number;
  /**
   * A clock step also ends after this simulated minute (epoch ms), so that commands scheduled
   * for it (a replayed journal, a plan) are made while the clock stands there. Absent: none.
   */
  holdAt?: number;
}

export interface SessionInput {
  engine: BacktestDataEngine;
  plan: SessionPlan;
  /** Shared with the caller, who counts each request in before sending it. */
  requests?: RequestInbox;
  /** Shared with the caller, who takes the symbols' statuses from it after each step. */
  statuses?: SymbolReport[];
}

const STOPPED: SymbolFailure = { code: 'STOPPED', message: 'The session was stopped before the symbol was caught up.' };

/**
 * The session statechart. `running.deactivated` is the one place where session data is hidden,
 * notifications are paused and the clock is stopped; every transition out of it goes to
 * `running.reactivating`, whose entry undoes all three — the statechart form of try/finally.
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    input: {} as SessionInput,
    events: {} as SessionEvent,
    emitted: {} as SessionEmitted,
  },
  actors: {
    clock: backtestClock,
    catchUp,
    loadDays: pauseDayLoader,
  },
  delays: {
    loadTimeout: ({ context }) => context.plan.loadTimeoutMs,
  },
  guards: {
    hasPendingSymbols: ({ context }) => context.pending.length > 0,
    batchSettled: ({ context }) => context.loading === 0,
    addsPendingAtClose: ({ context }) => context.engine.atClose && context.pending.length > 0,
    /** At the close, once every request made there has been handled. */
    closeReached: ({ context }) => context.engine.atClose && context.requests.waiting === 0,
    stopRequested: ({ context }) => context.stopRequested,
  },
  actions: {
    queueConfiguredSymbols: enqueueActions(({ context, enqueue, self }) => {
      const symbols: Record<string, SymbolEntry> = {};
      const sim = context.engine.clock.now();
      const source = sourceOf(context.plan);
      for (const { symbol, streams } of context.plan.configured) {
        const input: SymbolInput = { symbol, streams, origin: 'configured', source, statuses: context.statuses };
        const ref = createSymbolActor(self, symbolActorId(symbols, symbol, 'configured'), input);
        enqueue(() => ref.start());
        symbols[symbol] = { ref, streams, origin: 'configured', addedAt: { sim, wall: Date.now() } };
      }
      enqueue.assign({ symbols, pending: Object.keys(symbols) });
    }),
    takeRequest: ({ context }) => {
      if (context.requests.waiting > 0) context.requests.waiting--;
    },
    queueAddedSymbol: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'ADD_SYMBOL') return;
      const { symbol, streams, wallTime } = event;
      const input: SymbolInput = { symbol, streams, origin: 'dynamic', source: sourceOf(context.plan), statuses: context.statuses };
      const ref = createSymbolActor(self, symbolActorId(context.symbols, symbol, 'dynamic'), input);
      enqueue(() => ref.start());
      enqueue.assign({
        symbols: { ...context.symbols, [symbol]: { ref, streams, origin: 'dynamic', addedAt: { sim: context.engine.clock.now(), wall: wallTime } } },
        pending: [...context.pending.filter((s) => s !== symbol), symbol],
      });
    }),
    removeSymbol: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'REMOVE_SYMBOL') return;
      const entry = context.symbols[event.symbol];
      if (!entry) return;
      // One in the current catch-up is not streaming yet, even when carried over `active`.
      const inBatch = event.symbol in context.batch && context.batch[event.symbol] !== 'out';
      const removal = inBatch ? 'cancel' : removalOf(entry, event.immediate, ['active']);
      if (removal === 'join') return;
      if (removal === 'drain') {
        enqueue(({ context: c }) => c.engine.drain(event.symbol));
        enqueue.sendTo(entry.ref, { type: 'DRAIN' });
        enqueue.assign({ draining: [...context.draining, event.symbol] });
        return;
      }
      enqueue(({ context: c }) => c.engine.remove(event.symbol));
      enqueue.sendTo(entry.ref, { type: 'CANCEL' });
      enqueue.assign({
        pending: context.pending.filter((s) => s !== event.symbol),
        draining: context.draining.filter((s) => s !== event.symbol),
        batch: event.symbol in context.batch ? { ...context.batch, [event.symbol]: 'out' } : context.batch,
        loading: isLoading(context.batch[event.symbol]) ? context.loading - 1 : context.loading,
      });
    }),
    deactivateData: ({ context }) => context.engine.deactivate(),
    reactivateData: ({ context }) => context.engine.reactivate(),
    beginPause: enqueueActions(({ context, enqueue }) => {
      const reason = context.pauses.length === 0 && context.openPause === undefined && !hasDynamic(context) ? 'start' : 'add';
      const simTime = context.engine.clock.now();
      enqueue.assign({
        openPause: { reason, simTime, startedAt: Date.now(), startedPerf: performance.now(), symbols: [...context.pending] },
      });
      enqueue.emit({ type: 'pause', phase: 'begin', reason, simTime, symbols: [...context.pending] });
    }),
    endPause: enqueueActions(({ context, enqueue }) => {
      const open = context.openPause;
      if (!open) return;
      const { startedPerf, ...rest } = open;
      const record: PauseRecord = { ...rest, durationMs: performance.now() - startedPerf };
      enqueue.assign({ openPause: undefined, pauses: [...context.pauses, record] });
      enqueue.emit({ type: 'pause', phase: 'end', record });
    }),
    startBatch: enqueueActions(({ context, enqueue }) => {
      const batch: Record<string, BatchState> = {};
      const carried = new Set(context.carried);
      for (const symbol of context.pending) {
        const entry = context.symbols[symbol];
        if (!entry) continue;
        if (carried.has(symbol)) {
          batch[symbol] = 'reloading';
          continue;
        }
        batch[symbol] = 'loading';
        enqueue.sendTo(entry.ref, { type: 'LOAD' });
      }
      enqueue.assign({ batch, loading: Object.keys(batch).length, pending: [], carried: [] });
    }),
    /**
     * Days the pause's load delivered: staged for the catch-up, the symbol told it is loaded
     * (one carried over stays `active`), or failed with the load's reason. The batch is this
     * pause's own object (startBatch makes a new one): updated in place, as copying it for each
     * delivery would make a pause of n symbols loaded one by one O(n²).
     */
    stageDays: enqueueActions(({ context, enqueue }, days: DaysLoadedEvent['days']) => {
      let settled = 0;
      for (const [symbol, day] of days) {
        const entry = context.symbols[symbol];
        const state = context.batch[symbol];
        if (!entry || !isLoading(state)) continue;
        settled++;
        if ('code' in day) {
          context.batch[symbol] = 'out';
          enqueue.sendTo(entry.ref, { type: 'ABORT', error: day, loaded: 0 });
          continue;
        }
        context.engine.stage(symbol, entry.streams, day);
        if (state === 'reloading') {
          context.batch[symbol] = 'reloaded';
          continue;
        }
        context.batch[symbol] = 'loaded';
        enqueue.sendTo(entry.ref, { type: 'LOADED', received: day.received });
      }
      enqueue.assign({ loading: context.loading - settled });
    }),
    timeOutLoads: enqueueActions(({ context, enqueue }) => {
      const seconds = context.plan.loadTimeoutMs / 1000;
      const batch = { ...context.batch };
      for (const [symbol, state] of Object.entries(context.batch)) {
        if (!isLoading(state)) continue;
        batch[symbol] = 'out';
        const message = `Loading ${symbol} took longer than ${seconds} s and was abandoned; the session went on without it. Raise loadTimeoutMs if the store is slow.`;
        enqueue.sendTo(context.symbols[symbol]!.ref, { type: 'ABORT', error: { code: 'LOAD_TIMEOUT', message }, loaded: 0 });
      }
      enqueue.assign({ batch, loading: 0 });
    }),
    confirmCaughtUp: enqueueActions(({ context, enqueue }, counts: Map<string, IntervalCounts>) => {
      for (const symbol of counts.keys()) {
        const entry = context.symbols[symbol];
        if (entry && context.batch[symbol] === 'loaded') enqueue.sendTo(entry.ref, { type: 'CAUGHT_UP' });
      }
      enqueue.assign({ batch: {}, loading: 0 });
    }),
    failCatchUp: enqueueActions(({ context, enqueue }, error: unknown) => {
      const message = `Catching up failed: ${error instanceof Error ? error.message : String(error)}`;
      for (const [symbol, state] of Object.entries(context.batch)) {
        if (state !== 'loaded' && state !== 'reloaded') continue;
        const loaded = context.engine.stats(symbol)?.received;
        enqueue(({ context: c }) => c.engine.remove(symbol));
        enqueue.sendTo(context.symbols[symbol]!.ref, { type: 'ABORT', error: { code: 'LOAD_FAILED', message }, loaded });
      }
      enqueue.assign({ batch: {}, loading: 0 });
    }),
    abortBatch: enqueueActions(({ context, enqueue }) => {
      for (const [symbol, state] of Object.entries(context.batch)) {
        if (state === 'out') continue;
        const loaded = isLoading(state) ? 0 : context.engine.stats(symbol)?.received;
        enqueue(({ context: c }) => c.engine.remove(symbol));
        enqueue.sendTo(context.symbols[symbol]!.ref, { type: 'ABORT', error: STOPPED, loaded });
      }
      enqueue.assign({ batch: {}, loading: 0 });
    }),
    abortPending: enqueueActions(({ context, enqueue }) => {
      for (const symbol of context.pending) {
        const entry = context.symbols[symbol];
        if (entry) enqueue.sendTo(entry.ref, { type: 'ABORT', error: STOPPED });
      }
      enqueue.assign({ pending: [] });
    }),
    requestStop: assign({ stopRequested: true }),
    /** A new pace from the minute the clock stands at: `'max'` clears it to the close, any other pace to now. */
    setSpeed: assign(({ context, event }) => {
      if (event.type !== 'SET_SPEED') return {};
      const clearedTo = event.speed === 'max' ? context.plan.window.close : context.engine.clock.now();
      return { plan: { ...context.plan, speed: event.speed }, clearedTo };
    }),
    clearClock: assign({
      clearedTo: ({ context, event }) =>
        event.type === 'ADVANCE' ? Math.min(context.plan.window.close, Math.max(context.clearedTo, context.engine.clock.now()) + event.minutes * MINUTE_MS) : context.clearedTo,
    }),
    /**
     * At most `maxBatchMinutes` per step, so other work gets turns; never past a waiting request.
     * While no bar can reach a listener (a run's warm-up days) a minute costs a fraction of one
     * delivered, and the whole stretch goes in one step: each symbol's bars are then read in one
     * pass, not in a pass per `maxBatchMinutes`.
     */
    advanceClock: ({ context }) => {
      const { plan, engine, requests } = context;
      const cap = engine.observed ? plan.maxBatchMinutes : Number.POSITIVE_INFINITY;
      const minutes = Math.min(cap, Math.ceil((context.clearedTo - engine.clock.now()) / MINUTE_MS));
      if (minutes > 0) engine.step(minutes, () => requests.waiting > 0 || (requests.holdAt !== undefined && engine.clock.now() >= requests.holdAt));
    },
    /** Graceful removals end once the minute they were asked in is delivered; `all` ends every one (closing). */
    completeDrains: enqueueActions(({ context, enqueue }, params: { all: boolean }) => {
      const done = context.draining.filter((symbol) => params.all || !context.engine.isStreaming(symbol) || context.engine.atClose);
      if (done.length === 0) return;
      for (const symbol of done) {
        enqueue(({ context: c }) => c.engine.remove(symbol));
        enqueue.sendTo(context.symbols[symbol]!.ref, { type: 'DRAINED' });
      }
      enqueue.assign({ draining: context.draining.filter((s) => !done.includes(s)) });
    }),
    releaseFinishedDays: ({ context }) => context.engine.releaseFinishedDays(),
    /** A new day in the same session: the engine starts it empty, its clock at the open. */
    openDay: ({ context, event }) => {
      if (event.type === 'NEXT_DAY') context.engine.openDay(event.plan.window, event.plan.alignTo);
    },
    /** Symbols that do not carry over to the new day (not in its plan, or not active at the close) are stopped. */
    stopLeavingSymbols: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'NEXT_DAY') return;
      const next = new Map(event.plan.configured.map(({ symbol, streams }) => [symbol, streams]));
      for (const symbol in context.symbols) {
        const entry = context.symbols[symbol]!;
        const streams = next.get(symbol);
        if (!streams || !carriesOver(entry, streams)) enqueue.stopChild(entry.ref);
      }
    }),
    /**
     * The new day's symbols, all configured from the open as in a session created for that day:
     * those still active keep their actors and are reloaded together; the others get new ones.
     */
    queueNextDaySymbols: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'NEXT_DAY') return;
      const { plan } = event;
      const symbols: SymbolRoster = {};
      const carried: string[] = [];
      const addedAt = { sim: plan.window.open, wall: Date.now() };
      const source = sourceOf(plan);
      for (const { symbol, streams } of plan.configured) {
        const previous = context.symbols[symbol];
        if (previous && carriesOver(previous, streams)) {
          symbols[symbol] = { ref: previous.ref, streams, origin: 'configured', addedAt };
          carried.push(symbol);
          continue;
        }
        const input: SymbolInput = { symbol, streams, origin: 'configured', source, statuses: context.statuses };
        const ref = createSymbolActor(self, nextSymbolActorId(context.symbols, symbol), input);
        enqueue(() => ref.start());
        symbols[symbol] = { ref, streams, origin: 'configured', addedAt };
      }
      enqueue.assign({
        plan,
        symbols,
        pending: plan.configured.map((s) => s.symbol),
        carried,
        batch: {},
        loading: 0,
        draining: [],
        clearedTo: plan.speed === 'max' ? plan.window.close : plan.window.open,
        stopRequested: false,
        openPause: undefined,
        pauses: [],
      });
    }),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    engine: input.engine,
    plan: input.plan,
    symbols: {},
    pending: [],
    batch: {},
    carried: [],
    loading: 0,
    draining: [],
    clearedTo: input.plan.speed === 'max' ? input.plan.window.close : input.plan.window.open,
    requests: input.requests ?? { waiting: 0 },
    statuses: input.statuses ?? [],
    stopRequested: false,
    openPause: undefined,
    pauses: [],
  }),
  initial: 'idle',
  on: {
    SET_SPEED: { actions: 'setSpeed' },
  },
  states: {
    idle: {
      on: {
        START: { target: 'running', actions: 'queueConfiguredSymbols' },
        STOP: 'closed',
      },
    },
    running: {
      initial: 'starting',
      on: {
        ADD_SYMBOL: { actions: ['takeRequest', 'queueAddedSymbol'] },
        REMOVE_SYMBOL: { actions: ['takeRequest', 'removeSymbol'] },
        ADVANCE: { actions: 'clearClock' },
      },
      states: {
        // The configured symbols load in the first pause, like any added symbol; on a new day,
        // with those carried over from the day before.
        starting: {
          always: 'deactivated',
        },
        streaming: {
          invoke: {
            src: 'clock',
            input: ({ context }) => ({ speed: context.plan.speed }),
          },
          // Requests made at the close still take effect: adds are caught up to it, removals done.
          always: [
            { guard: 'addsPendingAtClose', target: 'deactivated' },
            { guard: 'closeReached', target: '#session.closing' },
          ],
          on: {
            TICK: [
              { guard: 'hasPendingSymbols', target: 'deactivated' },
              { actions: ['advanceClock', { type: 'completeDrains', params: { all: false } }] },
            ],
            STOP: { target: '#session.closing', actions: 'requestStop' },
            // Entered again so the clock restarts at the new pace.
            SET_SPEED: { target: 'streaming', reenter: true, actions: 'setSpeed' },
          },
        },
        deactivated: {
          entry: ['deactivateData', 'beginPause', 'startBatch'],
          initial: 'paused',
          on: {
            STOP: { target: 'reactivating', actions: ['requestStop', 'abortBatch'] },
          },
          states: {
            // The pause's symbols load together: one actor, one read when the store has a batch read.
            paused: {
              invoke: {
                src: 'loadDays',
                input: ({ context }) => ({
                  source: sourceOf(context.plan),
                  symbols: Object.keys(context.batch).map((symbol) => ({ symbol, streams: context.symbols[symbol]!.streams })),
                }),
              },
              on: { DAYS_LOADED: { actions: { type: 'stageDays', params: ({ event }) => event.days } } },
              always: { guard: 'batchSettled', target: 'catchingUp' },
              after: { loadTimeout: { target: 'catchingUp', actions: 'timeOutLoads' } },
            },
            catchingUp: {
              invoke: {
                src: 'catchUp',
                input: ({ context }) => ({
                  engine: context.engine,
                  symbols: Object.keys(context.batch).filter((s) => context.batch[s] === 'loaded' || context.batch[s] === 'reloaded'),
                }),
                onDone: { target: '#session.running.reactivating', actions: { type: 'confirmCaughtUp', params: ({ event }) => event.output } },
                onError: { target: '#session.running.reactivating', actions: { type: 'failCatchUp', params: ({ event }: { event: { error: unknown } }) => event.error } },
              },
            },
          },
        },
        reactivating: {
          entry: ['reactivateData', 'endPause'],
          always: [
            { guard: 'stopRequested', target: '#session.closing' },
            { guard: 'hasPendingSymbols', target: 'deactivated' },
            { target: 'streaming', actions: { type: 'completeDrains', params: { all: false } } },
          ],
        },
      },
    },
    closing: {
      entry: ['abortPending', { type: 'completeDrains', params: { all: true } }, 'releaseFinishedDays'],
      always: 'closed',
    },
    // Not `type: 'final'`: a backtest goes on from here to its next day. Its actors are idle and
    // the session's data stays readable.
    closed: {
      on: { NEXT_DAY: { target: 'running', actions: ['openDay', 'stopLeavingSymbols', 'queueNextDaySymbols'] } },
    },
  },
});

/**
 * A symbol's actor, made as xstate's `spawn` makes one — in the session's system, with the
 * session as its parent, so inspection sees it and `stopChild` stops it — but kept out of the
 * session's children map. xstate copies that whole map each time any child is spawned or
 * stopped, and the clock, the day loader and the catch-up are, six times a day: with 500
 * symbols in the map, those copies were ~1.5 ms of each day change. The session holds its
 * symbols in `symbols`, and nothing reads them from the map. What the map would add, being
 * stopped with the session, nothing needs: the session actor is not stopped (it rests in
 * `closed`), and a backtest symbol runs nothing of its own. The live session spawns its symbols:
 * they run loads of their own, which must stop with it.
 */
function createSymbolActor(session: AnyActorRef, id: string, input: SymbolInput): SymbolActorRef {
  return createActor(backtestSymbolMachine, { parent: session, id, input });
}

function sourceOf(plan: SessionPlan): StoreSource {
  return { mode: 'backtest', store: plan.store, query: plan.query, window: plan.window, date: plan.date };
}

function hasDynamic(context: SessionContext): boolean {
  // A loop that stops at the first: the morning pause asks, with hundreds configured.
  for (const symbol in context.symbols) if (context.symbols[symbol]!.origin === 'dynamic') return true;
  return false;
}

export type SessionActorRef = ActorRefFrom<typeof sessionMachine>;
export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

/** An active symbol with the same streams keeps its actor from one day to the next. */
function carriesOver(entry: SymbolEntry, streams: readonly Interval[]): boolean {
  return symbolStatus(entry.ref) === 'active' && entry.streams.length === streams.length && entry.streams.every((interval, i) => interval === streams[i]);
}

function isLoading(state: BatchState | undefined): boolean {
  return state === 'loading' || state === 'reloading';
}
