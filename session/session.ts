import { createActor, waitFor, type Actor } from 'xstate';
import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import { BacktestDataEngine } from '../data-plane/backtest-data-engine.js';
import { BarNotifier, type BarListener } from '../data-plane/bar-notifier.js';
import { MINUTE_MS, type Interval, type StreamBar } from '../model/bar.js';
import { createSessionData, type SessionData } from '../data-plane/session-data.js';
import { sessionMachine, type RequestInbox, type SessionEmitted, type SessionPlan } from '../machines/session-machine.js';
import type { PauseRecord } from '../model/pause-record.js';
import type { SymbolFailure, SymbolStatus } from '../model/symbol-status.js';
import { assertValidSymbol } from '../model/symbol-name.js';
import { consoleLogger, type Logger } from '../model/logger.js';
import { notRunningError, SessionError } from '../model/session-error.js';
import { SessionObservers } from './session-observers.js';
import { SymbolRequests } from './symbol-requests.js';
import { leafState } from '../machines/leaf-state.js';
import { resolveStreams, type ResolvedOptions } from './session-options.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';
import type { RecordedConfig, SessionRecorder } from '../model/session-recorder.js';
import type { BarStore } from '../model/bar-store.js';

export type DynamicSymbolInfo = Pick<SymbolInfo, 'symbol' | 'status' | 'streams' | 'addedAt' | 'error'>;

/** What a session tells its observers besides bars. */
export interface SessionEventMap {
  /** The session machine moved; `state` is the leaf state name (`streaming`, `paused`, …). */
  state: { state: string };
  symbol: { symbol: string; status: SymbolStatus; error?: SymbolFailure };
  pause: SessionEmitted & { type: 'pause' };
  listenerError: { error: unknown; bar: StreamBar };
}

const RUNNING_STATES = new Set(['starting', 'streaming', 'paused', 'catchingUp', 'reactivating']);

/**
 * A running trading session: the session machine and its symbol actors (control plane) wired
 * to the backtest data engine, `SessionData` and the notifier (data plane).
 * Create it with `createSession`.
 */
export class Session {
  readonly mode = 'backtest' as const;
  readonly data: SessionData;
  readonly clock: { now(): number };
  readonly tradingSession: TradingSession;
  readonly calendar: MarketCalendar;
  /** The session actor, for inspection (`actor.subscribe`, xstate's `inspect`). */
  readonly actor: Actor<typeof sessionMachine>;
  /** Resolves at the close (or after `stop()`) with the summary; data stays readable after. */
  readonly done: Promise<SessionSummary>;

  private readonly engine: BacktestDataEngine;
  private readonly notifier: BarNotifier;
  private readonly logger: Logger;
  private readonly observers: SessionObservers<SessionEventMap>;
  private readonly requests = new SymbolRequests<DynamicSymbolInfo>();
  private readonly inbox: RequestInbox = { waiting: 0 };
  private readonly added: string[] = [];
  private readonly removed: string[] = [];
  private lastState = 'idle';
  private readonly recorder: SessionRecorder | undefined;
  private readonly recordedConfig: RecordedConfig;
  private readonly resume: boolean;

  constructor(options: ResolvedOptions, store: BarStore, calendar: MarketCalendar, logger: Logger = consoleLogger) {
    this.calendar = calendar;
    this.logger = logger;
    this.observers = new SessionObservers(logger);
    this.tradingSession = options.tradingSession;
    this.recorder = options.recorder;
    this.resume = options.resume;
    this.recordedConfig = {
      mode: this.mode,
      date: options.date,
      calendar: options.calendarName,
      speed: options.speed,
      extendedHours: options.extendedHours,
      symbols: options.symbols.map(({ symbol, streams }) => ({ symbol, streams: [...streams] })),
    };
    const { open, close, extendedOpen, extendedClose } = options.tradingSession;
    const window = options.extendedHours ? { open: extendedOpen, close: extendedClose } : { open, close };
    const writer = createSessionData();
    this.data = writer.data;
    this.notifier = new BarNotifier((error, bar) => {
      this.logger.error(`tapedeck: an onBar listener threw on ${bar.symbol} ${bar.interval} ${new Date(bar.t).toISOString()}; the session goes on.`, error);
      this.observers.notify('listenerError', { error, bar });
    });
    this.engine = new BacktestDataEngine(window, open, writer, this.notifier);
    this.clock = { now: () => this.engine.clock.now() };
    const plan: SessionPlan = {
      date: options.date,
      window,
      query: { open: Math.min(extendedOpen, window.open), close: Math.max(extendedClose, window.close) },
      store,
      speed: options.speed,
      maxBatchMinutes: options.maxBatchMinutes,
      loadTimeoutMs: options.loadTimeoutMs,
      configured: options.symbols,
    };
    this.actor = createActor(sessionMachine, { input: { engine: this.engine, plan, requests: this.inbox }, ...(options.inspect ? { inspect: options.inspect } : {}) });
    this.actor.on('symbol', (event) => this.onSymbolStatus(event));
    this.actor.on('pause', (event) => this.observers.notify('pause', event));
    let finish!: (summary: SessionSummary) => void;
    let crash!: (error: unknown) => void;
    this.done = new Promise<SessionSummary>((resolve, reject) => {
      finish = resolve;
      crash = reject;
    });
    this.actor.subscribe({
      next: (snapshot) => {
        const state = leafState(snapshot.value);
        if (state === this.lastState) return;
        this.lastState = state;
        this.recorder?.recordTransition(state, { sim: this.engine.clock.now(), wall: Date.now() });
        this.observers.notify('state', { state });
        if (state === 'closed') this.close(finish);
      },
      error: (error) => {
        this.onActorCrash(error);
        crash(error);
      },
    });
    // `done` is also reported through `start()` and events; an un-awaited rejection must not crash the embedder.
    this.done.catch(() => undefined);
    this.actor.start();
  }

  /** The session machine's current state, e.g. `streaming`, `paused`, `catchingUp`, `closed`. */
  get state(): string {
    return leafState(this.actor.getSnapshot().value);
  }

  get isRunning(): boolean {
    return RUNNING_STATES.has(this.state);
  }

  /** Loads the configured symbols and starts the clock. Resolves once the session streams. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new SessionError('ALREADY_STARTED', `The session was already started (it is ${this.state}).`);
    const resumable = this.resume ? (this.recorder?.resumableSymbols() ?? []) : [];
    this.recorder?.recordConfig(this.recordedConfig);
    this.actor.send({ type: 'START' });
    await this.settled();
    this.resumeDynamicSymbols(resumable);
  }

  /** Symbols an earlier run had added come back through `addSymbol`, so they catch up like any add. */
  private resumeDynamicSymbols(symbols: Array<{ symbol: string; streams: Interval[] }>): void {
    for (const { symbol, streams } of symbols) {
      try {
        // A failed add is logged and recorded on the symbol by onSymbolStatus.
        this.addSymbol(symbol, { streams }).catch(() => undefined);
      } catch (error) {
        this.logger.error(`tapedeck: could not resume ${symbol}.`, error);
      }
    }
  }

  /** Ends the session now, through its normal exits (a catch-up in progress is abandoned, the session reactivated). */
  async stop(): Promise<SessionSummary> {
    if (this.state !== 'closed') this.actor.send({ type: 'STOP' });
    return this.done;
  }

  /**
   * Adds a symbol while the session runs. Throws `SessionError` at once if the request is
   * invalid; otherwise the returned promise resolves when the symbol is active (caught up to
   * the current simulated time) and rejects with `NO_DATA`, `LOAD_FAILED`, `LOAD_TIMEOUT`,
   * `REMOVED` or `STOPPED` if it never gets there. The session streams on either way.
   */
  addSymbol(symbol: string, options: { streams?: Interval[] } = {}): Promise<DynamicSymbolInfo> {
    if (!this.isRunning) throw notRunningError(this.state, 'add a symbol');
    assertValidSymbol(symbol);
    const streams = resolveStreams(symbol, options.streams);
    const entry = this.actor.getSnapshot().context.symbols[symbol];
    if (entry) {
      const status = entry.ref.getSnapshot().value as SymbolStatus;
      if (status !== 'removed' && status !== 'failed') {
        if (entry.origin === 'configured') {
          throw new SessionError('ALREADY_CONFIGURED', `${symbol} is one of the session's configured symbols (${status}); remove it first to add it again.`, { symbol, status });
        }
        throw new SessionError('DUPLICATE_SYMBOL', `${symbol} was already added and is ${status}; remove it first to add it again.`, { symbol, status });
      }
    }
    const promise = this.requests.add(symbol);
    this.added.push(symbol);
    this.inbox.waiting++;
    this.actor.send({ type: 'ADD_SYMBOL', symbol, streams, wallTime: Date.now() });
    return promise;
  }

  /**
   * Removes a symbol. Graceful by default: an active symbol streams to the end of the minute in
   * progress, then goes. `immediate: true` drops it at once. A symbol still loading is
   * cancelled either way. Resolves when the symbol is removed; each call gets its own promise
   * (a second graceful removal joins the drain, an immediate one cuts it short).
   */
  removeSymbol(symbol: string, options: { immediate?: boolean } = {}): Promise<void> {
    if (!this.isRunning) throw notRunningError(this.state, 'remove a symbol');
    assertValidSymbol(symbol);
    const entry = this.actor.getSnapshot().context.symbols[symbol];
    const status = entry?.ref.getSnapshot().value as SymbolStatus | undefined;
    if (!entry || status === 'removed' || status === 'failed') {
      const symbols = this.listSymbols().filter((s) => s.status !== 'removed' && s.status !== 'failed').map((s) => s.symbol);
      throw new SessionError('UNKNOWN_SYMBOL', `${symbol} is not in the session${status ? ` (it is ${status})` : ''}; symbols: ${symbols.join(', ') || 'none'}.`, { symbol });
    }
    const promise = this.requests.remove(symbol);
    this.removed.push(symbol);
    this.inbox.waiting++;
    this.actor.send({ type: 'REMOVE_SYMBOL', symbol, immediate: options.immediate ?? false });
    return promise;
  }

  /** Every symbol added while the session ran, with its status. */
  listDynamic(): DynamicSymbolInfo[] {
    return this.listSymbols()
      .filter((info) => info.origin === 'dynamic')
      .map(({ symbol, status, streams, addedAt, error }) => ({ symbol, status, streams, addedAt, ...(error ? { error } : {}) }));
  }

  /** Every symbol, configured or added, with status and counters. */
  listSymbols(): SymbolInfo[] {
    const { symbols } = this.actor.getSnapshot().context;
    return Object.entries(symbols).map(([symbol, entry]) => {
      const snapshot = entry.ref.getSnapshot();
      const context = snapshot.context;
      const stats = this.engine.stats(symbol);
      return {
        symbol,
        origin: entry.origin,
        status: snapshot.value as SymbolStatus,
        streams: entry.streams,
        addedAt: entry.addedAt,
        loaded: context.loaded,
        dropped: context.dropped,
        caughtUp: context.caughtUp,
        streamed: stats?.streamed ?? {},
        ...(context.error ? { error: context.error } : {}),
      };
    });
  }

  /** Subscribes to bars as they become visible. Returns the unsubscribe function. */
  onBar(listener: BarListener): () => void {
    return this.notifier.subscribe(listener);
  }

  on<K extends keyof SessionEventMap>(type: K, handler: (payload: SessionEventMap[K]) => void): () => void {
    return this.observers.on(type, handler);
  }

  /** Stops delivering bars to listeners (they are dropped, not queued) until `resumeNotifications`. */
  pauseNotifications(): void {
    this.notifier.pause('user');
  }

  resumeNotifications(): void {
    this.notifier.resume('user');
  }

  get notificationsPaused(): boolean {
    return this.notifier.paused;
  }

  /**
   * With `speed: 'manual'`, moves the clock `minutes` forward (0 only processes pending adds).
   * Resolves when the clock got there and every add made on the way is caught up. The result
   * is the same as `minutes` calls of `advance(1)`: a request made at a minute takes effect
   * before the next minute, however far one call goes.
   */
  async advance(minutes = 1): Promise<void> {
    if (!Number.isInteger(minutes) || minutes < 0) throw new SessionError('INVALID_OPTION', `advance() takes a whole number of minutes >= 0, got ${minutes}.`);
    await this.settled();
    if (this.state === 'closed') return;
    if (!this.isRunning) throw notRunningError(this.state, 'advance the clock');
    this.actor.send({ type: 'ADVANCE', minutes });
    for (;;) {
      // Each step in a macrotask of its own: what the last one set off (an add's `.then`, a
      // removal's) runs first, at the minute it belongs to, as it does between steps at 'max'.
      await nextMacrotask();
      await this.settled();
      const { clearedTo, pending } = this.actor.getSnapshot().context;
      if (this.state === 'closed' || (this.clock.now() >= clearedTo && pending.length === 0)) return;
      this.actor.send({ type: 'TICK' });
    }
  }

  /** With `speed: 'manual'`, advances to the simulated time `epochMs` (a minute boundary). */
  async advanceTo(epochMs: number): Promise<void> {
    const minutes = Math.max(0, Math.ceil((epochMs - this.clock.now()) / MINUTE_MS));
    await this.advance(minutes);
  }

  summary(): SessionSummary {
    const symbols = this.listSymbols();
    const { pauses, stopRequested } = this.actor.getSnapshot().context;
    return {
      mode: this.mode,
      date: this.tradingSession.date,
      open: this.tradingSession.open,
      close: this.tradingSession.close,
      endedAt: this.clock.now(),
      stopped: stopRequested,
      symbols,
      droppedOutsideHours: symbols.reduce((sum, s) => sum + s.dropped.outsideHours, 0),
      added: [...this.added],
      removed: [...this.removed],
      pauses: pauses.map((p: PauseRecord) => ({ ...p, symbols: [...p.symbols] })),
      notifications: { delivered: this.notifier.delivered, dropped: this.notifier.dropped, listenerErrors: this.notifier.listenerErrors },
    };
  }

  /** Streaming with no request waiting, or closed. */
  private async settled(): Promise<void> {
    await waitFor(this.actor, (s) => leafState(s.value) === 'closed' || (leafState(s.value) === 'streaming' && s.context.requests.waiting === 0), { timeout: Infinity });
  }

  private onSymbolStatus(event: SessionEmitted & { type: 'symbol' }): void {
    const { symbol, status, error } = event;
    this.recordSymbol(symbol, status, error);
    this.observers.notify('symbol', { symbol, status, ...(error ? { error } : {}) });
    if (status === 'failed') this.logger.warn(`tapedeck: ${symbol} failed: ${error?.message ?? 'unknown reason'}`);
    this.requests.onStatus(symbol, status, error, () => this.listDynamic().find((s) => s.symbol === symbol));
  }

  private close(finish: (summary: SessionSummary) => void): void {
    this.settleOnClose();
    const summary = this.summary();
    if (!this.recorder) return finish(summary);
    // The journal must be on disk before the caller hears the session is over.
    this.recorder.flush().then(
      () => finish(summary),
      (error: unknown) => {
        this.logger.error('tapedeck: the session journal could not be written.', error);
        finish(summary);
      },
    );
  }

  /**
   * Symbol actors may still be reporting what the last step did to them (failed with STOPPED,
   * say) when the session closes; callers and the recorder learn the outcome here, at once.
   */
  private settleOnClose(): void {
    for (const info of this.listDynamic()) {
      this.recordSymbol(info.symbol, info.status, info.error);
      // An add caught up at the close went active on the way here: its caller hears that, not STOPPED.
      this.requests.onStatus(info.symbol, info.status, info.error, () => info);
    }
    this.requests.settleOnClose('caught up');
  }

  private recordSymbol(symbol: string, status: SymbolStatus, error: SymbolFailure | undefined): void {
    if (!this.recorder) return;
    const entry = this.actor.getSnapshot().context.symbols[symbol];
    if (entry?.origin !== 'dynamic') return;
    this.recorder.recordSymbol({
      symbol,
      status,
      streams: [...entry.streams],
      addedAt: entry.addedAt,
      updatedAt: { sim: this.engine.clock.now(), wall: Date.now() },
      ...(error ? { error } : {}),
    });
  }

  /**
   * An action threw (a bug, by the rules of this code base): the actor is dead and its exit
   * actions did not run. Reactivate the data plane by hand so the strategy is never left
   * looking at a hidden session, and fail every waiting caller.
   */
  private onActorCrash(error: unknown): void {
    this.engine.reactivate();
    this.logger.error('tapedeck: the session machine failed; the session data was reactivated and the session ended.', error);
    this.requests.rejectAll(error);
  }
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
