import { createActor, waitFor, type Actor } from 'xstate';
import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import { BarNotifier, type BarListener } from '../data-plane/bar-notifier.js';
import type { Interval, StreamBar } from '../model/bar.js';
import type { LiveClock } from '../data-plane/live-clock.js';
import { LiveDataEngine } from '../data-plane/live-data-engine.js';
import { createSessionData, type SessionData } from '../data-plane/session-data.js';
import type { FeedStatus } from '../model/live-feed.js';
import { liveSessionMachine, type FeedReport, type LivePlan } from '../machines/live-session-machine.js';
import type { SymbolFailure, SymbolStatus } from '../model/symbol-status.js';
import { emptyDropCounts } from '../model/counts.js';
import { assertValidSymbol } from '../model/symbol-name.js';
import type { ResolvedLiveOptions } from './live-session-options.js';
import { consoleLogger, type Logger } from '../model/logger.js';
import { notRunningError, SessionError } from '../model/session-error.js';
import { SessionObservers } from './session-observers.js';
import { SymbolRequests } from './symbol-requests.js';
import { leafState } from '../machines/leaf-state.js';
import { symbolStatus } from '../machines/symbol-machine.js';
import { resolveStreams, type InspectionObserver } from './session-options.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';
import type { DynamicSymbolInfo } from './session.js';

export interface LiveSymbolInfo extends SymbolInfo {
  /** 1m bars restored by gap fills, and how many fills ran. */
  filled: number;
  gapFills: number;
  /** Bars replaced by updated bars. */
  updated: number;
  /** Why the last gap fill failed, if it did (the symbol streams on). */
  fillError?: SymbolFailure;
}

export interface LiveSessionSummary extends SessionSummary {
  mode: 'live';
  symbols: LiveSymbolInfo[];
  endedBy: 'close' | 'stop' | 'feedFailed' | undefined;
  feed: Omit<FeedReport, 'downSince'> & { droppedUnsubscribed: number };
}

export interface LiveSessionEventMap {
  state: { state: string };
  symbol: { symbol: string; status: SymbolStatus; error?: SymbolFailure };
  feed: FeedStatus;
  listenerError: { error: unknown; bar: StreamBar };
}

const RUNNING_STATES = new Set(['waitingForOpen', 'streaming']);

/**
 * A live trading session: the wall clock (or an injected one), bars from a feed, symbols
 * added and removed while it runs without ever pausing the others. Create it with
 * `createSession({ mode: 'live', … })`.
 */
export class LiveSession {
  readonly mode = 'live' as const;
  readonly data: SessionData;
  readonly clock: LiveClock;
  readonly tradingSession: TradingSession;
  readonly calendar: MarketCalendar;
  readonly actor: Actor<typeof liveSessionMachine>;
  /** Resolves at the close, after `stop()`, or when the feed fails for good, with the summary. */
  readonly done: Promise<LiveSessionSummary>;

  private readonly engine: LiveDataEngine;
  private readonly notifier: BarNotifier;
  private readonly observers: SessionObservers<LiveSessionEventMap>;
  private readonly requests = new SymbolRequests<DynamicSymbolInfo>();
  private readonly added: string[] = [];
  private readonly removed: string[] = [];
  private lastState = 'idle';

  constructor(options: ResolvedLiveOptions, calendar: MarketCalendar, private readonly logger: Logger = consoleLogger, inspect?: InspectionObserver) {
    this.calendar = calendar;
    this.observers = new SessionObservers(logger);
    this.tradingSession = options.tradingSession;
    this.clock = options.clock;
    const { open, close, extendedOpen, extendedClose } = options.tradingSession;
    const window = options.extendedHours ? { open: extendedOpen, close: extendedClose } : { open, close };
    const writer = createSessionData();
    this.data = writer.data;
    this.notifier = new BarNotifier((error, bar) => {
      this.logger.error(`tapedeck: an onBar listener threw on ${bar.symbol} ${bar.interval} ${new Date(bar.t).toISOString()}; the session goes on.`, error);
      this.observers.notify('listenerError', { error, bar });
    });
    this.engine = new LiveDataEngine(window, open, options.clock, writer, this.notifier, { graceMs: options.barGraceMs, trailingDays: options.trailingDays });
    const plan: LivePlan = {
      feed: options.feed,
      tickMs: options.tickMs,
      configured: options.symbols,
      load: { history: options.history, calendar, today: options.tradingSession, window, extendedHours: options.extendedHours, trailingDays: options.trailingDays },
    };
    this.actor = createActor(liveSessionMachine, { input: { engine: this.engine, plan }, ...(inspect ? { inspect } : {}) });
    this.actor.on('symbol', (event) => this.onSymbolStatus(event));
    this.actor.on('feed', ({ status }) => this.onFeedStatus(status));
    let finish!: (summary: LiveSessionSummary) => void;
    let crash!: (error: unknown) => void;
    this.done = new Promise<LiveSessionSummary>((resolve, reject) => {
      finish = resolve;
      crash = reject;
    });
    this.actor.subscribe({
      next: (snapshot) => {
        const state = leafState(snapshot.value);
        if (state === this.lastState) return;
        this.lastState = state;
        this.observers.notify('state', { state });
        if (state === 'closed') {
          this.requests.settleOnClose('loaded');
          finish(this.summary());
        }
      },
      error: (error) => {
        this.logger.error('tapedeck: the live session machine failed; the session ended.', error);
        this.requests.rejectAll(error);
        crash(error);
      },
    });
    this.done.catch(() => undefined);
    this.actor.start();
  }

  /** `idle`, `waitingForOpen`, `streaming`, `closed`. */
  get state(): string {
    return leafState(this.actor.getSnapshot().value);
  }

  get isRunning(): boolean {
    return RUNNING_STATES.has(this.state);
  }

  /** Connects the feed and loads the configured symbols; resolves once each is active or failed. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new SessionError('ALREADY_STARTED', `The session was already started (it is ${this.state}).`);
    this.actor.send({ type: 'START' });
    await waitFor(this.actor, (s) => s.value === 'closed' || Object.values(s.context.symbols).every((e) => !['queued', 'loading'].includes(symbolStatus(e.ref))), { timeout: Infinity });
  }

  async stop(): Promise<LiveSessionSummary> {
    if (this.state !== 'closed') this.actor.send({ type: 'STOP' });
    return this.done;
  }

  /**
   * Subscribes a symbol on the feed and loads its trailing days and today's bars so far; the
   * promise resolves once it streams (rejects with `LOAD_FAILED`, `REMOVED` or `STOPPED`).
   * Other symbols stream on meanwhile. Invalid requests throw `SessionError` at once.
   */
  addSymbol(symbol: string, options: { streams?: Interval[] } = {}): Promise<DynamicSymbolInfo> {
    if (!this.isRunning) throw notRunningError(this.state, 'add a symbol');
    assertValidSymbol(symbol);
    const streams = resolveStreams(symbol, options.streams);
    const entry = this.actor.getSnapshot().context.symbols[symbol];
    if (entry) {
      const status = symbolStatus(entry.ref);
      if (status !== 'removed' && status !== 'failed') {
        if (entry.origin === 'configured') throw new SessionError('ALREADY_CONFIGURED', `${symbol} is one of the session's configured symbols (${status}); remove it first to add it again.`, { symbol, status });
        throw new SessionError('DUPLICATE_SYMBOL', `${symbol} was already added and is ${status}; remove it first to add it again.`, { symbol, status });
      }
    }
    const promise = this.requests.add(symbol);
    this.added.push(symbol);
    this.actor.send({ type: 'ADD_SYMBOL', symbol, streams, wallTime: Date.now() });
    return promise;
  }

  /** Unsubscribes a symbol. Graceful by default: the bar of the minute in progress is delivered first. */
  removeSymbol(symbol: string, options: { immediate?: boolean } = {}): Promise<void> {
    if (!this.isRunning) throw notRunningError(this.state, 'remove a symbol');
    assertValidSymbol(symbol);
    const entry = this.actor.getSnapshot().context.symbols[symbol];
    const status = entry ? symbolStatus(entry.ref) : undefined;
    if (!entry || status === 'removed' || status === 'failed') {
      const symbols = this.listSymbols().filter((s) => s.status !== 'removed' && s.status !== 'failed').map((s) => s.symbol);
      throw new SessionError('UNKNOWN_SYMBOL', `${symbol} is not in the session${status ? ` (it is ${status})` : ''}; symbols: ${symbols.join(', ') || 'none'}.`, { symbol });
    }
    const promise = this.requests.remove(symbol);
    this.removed.push(symbol);
    this.actor.send({ type: 'REMOVE_SYMBOL', symbol, immediate: options.immediate ?? false });
    return promise;
  }

  listDynamic(): DynamicSymbolInfo[] {
    return this.listSymbols()
      .filter((info) => info.origin === 'dynamic')
      .map(({ symbol, status, streams, addedAt, error }) => ({ symbol, status, streams, addedAt, ...(error ? { error } : {}) }));
  }

  listSymbols(): LiveSymbolInfo[] {
    return Object.entries(this.actor.getSnapshot().context.symbols).map(([symbol, entry]) => {
      const snapshot = entry.ref.getSnapshot();
      const { context } = snapshot;
      const stats = this.engine.stats(symbol);
      return {
        symbol,
        origin: entry.origin,
        status: symbolStatus(entry.ref),
        streams: entry.streams,
        addedAt: entry.addedAt,
        loaded: context.loaded,
        dropped: stats?.dropped ?? emptyDropCounts(),
        caughtUp: stats?.caughtUp ?? {},
        streamed: stats?.streamed ?? {},
        filled: stats?.filled ?? 0,
        gapFills: context.gapFills,
        updated: stats?.updated ?? 0,
        ...(context.error ? { error: context.error } : {}),
        ...(context.fillError ? { fillError: context.fillError } : {}),
      };
    });
  }

  onBar(listener: BarListener): () => void {
    return this.notifier.subscribe(listener);
  }

  on<K extends keyof LiveSessionEventMap>(type: K, handler: (payload: LiveSessionEventMap[K]) => void): () => void {
    return this.observers.on(type, handler);
  }

  pauseNotifications(): void {
    this.notifier.pause('user');
  }

  resumeNotifications(): void {
    this.notifier.resume('user');
  }

  get notificationsPaused(): boolean {
    return this.notifier.paused;
  }

  summary(): LiveSessionSummary {
    const symbols = this.listSymbols();
    const { feed, endedBy } = this.actor.getSnapshot().context;
    const { downSince: _, ...report } = feed;
    return {
      mode: this.mode,
      date: this.tradingSession.date,
      open: this.tradingSession.open,
      close: this.tradingSession.close,
      endedAt: this.clock.now(),
      stopped: endedBy === 'stop' || endedBy === 'feedFailed',
      endedBy,
      symbols,
      droppedOutsideHours: symbols.reduce((sum, s) => sum + s.dropped.outsideHours, 0),
      added: [...this.added],
      removed: [...this.removed],
      // A live session never pauses as a whole: catch-ups hide one symbol at a time.
      pauses: [],
      notifications: { delivered: this.notifier.delivered, dropped: this.notifier.dropped, listenerErrors: this.notifier.listenerErrors },
      feed: { ...report, warnings: [...report.warnings], droppedUnsubscribed: this.engine.droppedUnsubscribed },
    };
  }

  private onFeedStatus(status: FeedStatus): void {
    if (status.state === 'failed') this.logger.error(`tapedeck: the ${this.actor.getSnapshot().context.feed.name} feed failed (${status.code}): ${status.message}`);
    this.observers.notify('feed', status);
  }

  private onSymbolStatus({ symbol, status, error }: { symbol: string; status: SymbolStatus; error?: SymbolFailure }): void {
    this.observers.notify('symbol', { symbol, status, ...(error ? { error } : {}) });
    if (status === 'failed') this.logger.warn(`tapedeck: ${symbol} failed: ${error?.message ?? 'unknown reason'}`);
    this.requests.onStatus(symbol, status, error, () => this.listDynamic().find((s) => s.symbol === symbol));
  }
}

