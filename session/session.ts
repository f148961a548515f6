import { createActor, waitFor, type Actor, type AnyStateMachine } from 'xstate';
import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import { BarNotifier, type BarListener, type BarAtListener } from '../data-plane/bar-notifier.js';
import { MINUTE_MS, type Interval } from '../model/bar.js';
import { emptyDropCounts } from '../model/counts.js';
import { createSessionData, type SessionData, type SessionDataWriter } from '../data-plane/session-data.js';
import type { BarColumns } from '../data-plane/bar-columns.js';
import type { SymbolFailure, SymbolStatus } from '../model/symbol-status.js';
import { assertValidSymbol } from '../model/symbol-name.js';
import type { Logger } from '../model/logger.js';
import { notRunningError, SessionError } from '../model/session-error.js';
import { SessionObservers } from './session-observers.js';
import { SymbolRequests } from './symbol-requests.js';
import { leafState } from '../machines/leaf-state.js';
import { symbolStatus } from '../machines/symbol-machine.js';
import type { SymbolEntry, SymbolRoster } from '../machines/symbol-roster.js';
import { resolveStreams, resolveSymbols, type SymbolConfig } from './session-options.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';
import type { RecordedConfig, SessionRecorder, SessionReplay, SymbolCommand } from '../model/session-recorder.js';
import { CommandSchedule, type ScheduledCommand } from './command-schedule.js';
import { symbolsAfter } from './replayed-symbols.js';
import type { CommonEventMap, ModeParts, ModeTypes, SessionMode, SessionSetup } from './session-mode.js';
import type { BacktestTypes } from './backtest-mode.js';
import type { LiveTypes } from './live-mode.js';

/** Commands scheduled for a day and the function that makes each when its minute comes. */
interface DayCommands {
  schedule: CommandSchedule<unknown>;
  make: (scheduled: ScheduledCommand<unknown>) => void;
}

/** Where a request comes from: the caller, a plan (its index), or the journal being replayed. */
interface CommandOrigin {
  replayed: boolean;
  planned?: number;
}

export type DynamicSymbolInfo = Pick<SymbolInfo, 'symbol' | 'status' | 'streams' | 'addedAt' | 'error'>;

/**
 * A running trading session: a session machine and its symbol actors (control plane) wired to
 * a data engine, `SessionData` and the notifier (data plane). The mode — backtest or live — is
 * a plug-in that supplies the session machine and the engine; everything else is here, once.
 * Create it with `createSession`.
 */
export class Session<T extends ModeTypes = BacktestTypes> {
  readonly mode: T['name'];
  readonly data: SessionData;
  readonly clock: T['clock'];
  readonly calendar: MarketCalendar;
  /** The session actor, for inspection (`actor.subscribe`, xstate's `inspect`). */
  readonly actor: Actor<T['machine']>;

  private readonly plugin: SessionMode<T>;
  /** `actor`, seen through what every mode's session machine shares: its requests and its state names. */
  private readonly machineActor: Actor<AnyStateMachine>;
  private readonly notifier: BarNotifier;
  private readonly writer: SessionDataWriter;
  private readonly logger: Logger;
  private readonly observers: SessionObservers<T['events']>;
  private readonly requests = new SymbolRequests<DynamicSymbolInfo>();
  private added: string[] = [];
  private removed: string[] = [];
  private today: TradingSession;
  private day!: { done: Promise<T['summary']>; finish: (summary: T['summary']) => void; crash: (error: unknown) => void };
  private lastState = 'idle';
  private readonly recorder: SessionRecorder | undefined;
  private readonly recordedConfig: RecordedConfig;
  private readonly resume: boolean;
  private readonly plan: SessionSetup['plan'];
  /** Today's scheduled commands and what makes each. */
  private dayCommands: DayCommands | undefined;
  /** Set by `scheduleCommands`, for the day that starts next. */
  private nextDayCommands: DayCommands | undefined;
  /** While an interrupted run is replayed: the minute it had reached, after which the session's own speed applies. */
  private replayUntil: number | undefined;
  /** The latest simulated minute recorded as reached. */
  private progressMark = Number.NEGATIVE_INFINITY;

  constructor(setup: SessionSetup, createMode: (parts: ModeParts<T['events']>) => SessionMode<T>) {
    this.calendar = setup.calendar;
    this.logger = setup.logger;
    this.today = setup.tradingSession;
    this.recorder = setup.recorder;
    this.recordedConfig = setup.recordedConfig;
    this.resume = setup.resume;
    this.plan = setup.plan;
    this.observers = new SessionObservers(setup.logger);
    const writer = createSessionData();
    this.writer = writer;
    this.data = writer.data;
    const notify = <K extends keyof T['events']>(type: K, payload: T['events'][K]) => this.observers.notify(type, payload);
    this.notifier = new BarNotifier((error, bar) => {
      this.logger.error(`tapedeck: an onBar listener threw on ${bar.symbol} ${bar.interval} ${new Date(bar.t).toISOString()}; the session goes on.`, error);
      this.observers.notify('listenerError', { error, bar });
    });
    this.plugin = createMode({ writer, notifier: this.notifier, notify, logger: setup.logger });
    this.mode = this.plugin.name;
    this.clock = this.plugin.clock;
    this.actor = createActor(this.plugin.machine, { input: this.plugin.input, ...(setup.inspect ? { inspect: setup.inspect } : {}) });
    this.machineActor = this.actor;
    this.actor.on('symbol', (event: T['events']['symbol']) => this.onSymbolStatus(event));
    this.plugin.listen(this.actor, notify);
    this.openDone();
    this.machineActor.subscribe({
      next: (snapshot) => {
        // First: what happens next (scheduled commands, the close) sees the symbols as they are.
        const statuses = this.plugin.takeStatuses?.();
        if (statuses) for (const status of statuses) this.onSymbolStatus(status);
        const state = leafState(snapshot.value);
        if (state !== 'idle' && state !== 'closed') this.onClock();
        if (state === this.lastState) return;
        this.lastState = state;
        this.recorder?.recordTransition(state, { sim: this.clock.now(), wall: Date.now() });
        this.observers.notify('state', { state });
        if (state === 'closed') this.close(this.day.finish);
      },
      error: (error) => {
        this.onActorCrash(error);
        this.day.crash(error);
      },
    });
    this.actor.start();
  }

  /** The trading day the session runs (the latest one, after `nextDay`). */
  get tradingSession(): TradingSession {
    return this.today;
  }

  /** Resolves at the close (or after `stop()`, or when a live feed fails for good) with the summary; data stays readable after. After `nextDay`, the new day's close. */
  get done(): Promise<T['summary']> {
    return this.day.done;
  }

  private openDone(): void {
    let finish!: (summary: T['summary']) => void;
    let crash!: (error: unknown) => void;
    const done = new Promise<T['summary']>((resolve, reject) => {
      finish = resolve;
      crash = reject;
    });
    // `done` is also reported through `start()` and events; an un-awaited rejection must not crash the embedder.
    done.catch(() => undefined);
    this.day = { done, finish, crash };
  }

  /** The session machine's current state, e.g. `streaming`, `paused`, `catchingUp`, `waitingForOpen`, `closed`. */
  get state(): string {
    return leafState(this.machineActor.getSnapshot().value);
  }

  get isRunning(): boolean {
    return this.plugin.runningStates.has(this.state);
  }

  /**
   * Starts the session: a backtest loads the configured symbols and starts the clock, and
   * resolves once it streams; a live session connects the feed and resolves once each
   * configured symbol is active or failed.
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new SessionError('ALREADY_STARTED', `The session was already started (it is ${this.state}).`);
    const replay = this.recorder?.begin(this.recordedConfig);
    if (this.resume && !replay) {
      throw new SessionError('INVALID_OPTION', '`resume: true` needs a recorder opened to resume an earlier run (e.g. await SessionJournal.open(runDir, { resume: true })).');
    }
    const schedule = this.plugin.schedule;
    if (schedule) {
      this.dayCommands = this.takeNextDayCommands() ?? this.ownCommands(new CommandSchedule(replay?.commands ?? [], this.plan));
      // The earlier run's day is run again at full speed up to where it got, then at this session's speed.
      if (replay && replay.reached > this.clock.now()) {
        this.replayUntil = replay.reached;
        schedule.setSpeed(this.actor, 'max');
      }
      this.holdClock();
    }
    this.machineActor.send({ type: 'START' });
    await this.settled();
    if (schedule) {
      await waitFor(this.actor, () => this.state === 'closed' || (this.replayUntil === undefined && this.plugin.started(this.actor.getSnapshot())), { timeout: Infinity });
    } else if (replay) {
      this.restoreSymbols(replay);
    }
  }

  /**
   * A session on the wall clock cannot run its earlier minutes again: it takes the symbols the
   * earlier run had at the end of its commands — configured ones it removed go, added ones come
   * back through `addSymbol` and load the day so far like any add.
   */
  private restoreSymbols(replay: SessionReplay): void {
    const wanted = new Map(symbolsAfter(this.recordedConfig, replay.commands).map((entry) => [entry.symbol, entry.streams]));
    const commands: SymbolCommand[] = [
      ...this.recordedConfig.symbols.filter((entry) => !wanted.has(entry.symbol)).map((entry): SymbolCommand => ({ op: 'remove', symbol: entry.symbol, immediate: true })),
      ...[...wanted].filter(([symbol]) => !this.recordedConfig.symbols.some((entry) => entry.symbol === symbol)).map(([symbol, streams]): SymbolCommand => ({ op: 'add', symbol, streams })),
    ];
    for (const command of commands) this.issue({ sim: this.clock.now(), command, replayed: true });
  }

  /** On every snapshot of a running session: progress to the journal, the speed after a replay, scheduled commands due. */
  private onClock(): void {
    const schedule = this.plugin.schedule;
    if (!schedule || !this.dayCommands) return;
    const now = this.clock.now();
    if (now > this.progressMark) {
      this.progressMark = now;
      this.recorder?.recordProgress(now);
    }
    if (this.replayUntil !== undefined && now >= this.replayUntil) {
      this.replayUntil = undefined;
      if (schedule.speed !== 'max') schedule.setSpeed(this.actor, schedule.speed);
    }
    if (this.isRunning) for (const command of this.dayCommands.schedule.take(now)) this.dayCommands.make(command);
    this.holdClock();
  }

  /**
   * Backtest: the commands of the day that starts next (with `start()` or `nextDay`), made by
   * `make` when the simulated clock stands at each one's minute, exactly as the session makes
   * its plan and a replayed journal: a clock step ends after that minute, whatever the speed.
   * A strategy run makes the commands it journaled and its plan's this way, through its broker
   * and universe. For `start()`, they replace the `plan` and journal of the session's options.
   */
  scheduleCommands<C>(schedule: CommandSchedule<C>, make: (scheduled: ScheduledCommand<C>) => void): void {
    if (!this.plugin.schedule) throw new SessionError('INVALID_OPTION', `scheduleCommands() needs a simulated clock; a ${this.mode} session has none.`);
    this.nextDayCommands = { schedule, make: make as DayCommands['make'] };
  }

  /** Commands the session makes itself, as `addSymbol` and `removeSymbol`. */
  private ownCommands(schedule: CommandSchedule): DayCommands {
    return { schedule, make: (scheduled) => this.issue(scheduled as ScheduledCommand) };
  }

  private takeNextDayCommands(): DayCommands | undefined {
    const commands = this.nextDayCommands;
    this.nextDayCommands = undefined;
    return commands;
  }

  /** Clock steps end after the next minute something is scheduled for. */
  private holdClock(): void {
    const next = this.dayCommands?.schedule.nextAt;
    const until = this.replayUntil;
    this.plugin.schedule?.holdAt(next === undefined ? until : until === undefined ? next : Math.min(next, until));
  }

  /** Makes a scheduled or replayed command as `addSymbol`/`removeSymbol` would; a refusal is logged, never thrown. */
  private issue(scheduled: ScheduledCommand): void {
    const { command } = scheduled;
    const origin = { replayed: scheduled.replayed, ...(scheduled.planned === undefined ? {} : { planned: scheduled.planned }) };
    try {
      // A failed add or removal is logged and recorded on the symbol by onSymbolStatus.
      if (command.op === 'add') this.requestAdd(command.symbol, { streams: command.streams }, origin).catch(() => undefined);
      else this.requestRemove(command.symbol, { immediate: command.immediate }, origin).catch(() => undefined);
    } catch (error) {
      this.logger.error(`tapedeck: could not ${scheduled.replayed ? 'replay' : 'make'} "${command.op} ${command.symbol}".`, error);
    }
  }

  /**
   * @internal Hands back series of an earlier day (`data.columns`) that nothing reads any more:
   * the following days fill them again instead of allocating new ones. A run's history does this
   * with the days it no longer holds.
   */
  recycleColumns(columns: Iterable<BarColumns>): void {
    this.writer.recycle(columns);
  }

  /**
   * Backtest, after the close: runs `date` (a later trading day) in this same session, with
   * `symbols` configured from its open, and resolves once it streams, as `start()` does. A symbol
   * still active at the close keeps its actor and is loaded with the others in one read; its
   * data and counters start again from the new open. `done` then resolves at the new close.
   */
  async nextDay(date: string, symbols: Array<string | SymbolConfig>): Promise<void> {
    if (!this.plugin.nextDay) throw new SessionError('INVALID_OPTION', `nextDay() moves a backtest to its next day; a ${this.mode} session runs one day.`);
    if (this.recorder) throw new SessionError('INVALID_OPTION', 'nextDay() is not available with a recorder: a journal holds one day. Create a session per day to journal each.');
    if (this.state !== 'closed') throw new SessionError('NOT_CLOSED', `nextDay() runs after the close; the session is ${this.state}.`, { state: this.state });
    const tradingSession = this.calendar.session(date);
    if (!tradingSession || tradingSession.open <= this.today.open) {
      throw new SessionError('NOT_A_TRADING_DAY', `nextDay() needs a trading day of ${this.calendar.name} after ${this.today.date}, got ${JSON.stringify(date)}.`, { date });
    }
    const configured = resolveSymbols(symbols);
    this.today = tradingSession;
    this.added = [];
    this.removed = [];
    this.openDone();
    // The last day's schedule is spent; a new day holds its clock for its own commands only.
    this.dayCommands = this.takeNextDayCommands() ?? this.ownCommands(new CommandSchedule([], []));
    this.holdClock();
    this.plugin.nextDay(this.actor, tradingSession, configured);
    await this.settled();
  }

  /** Ends the session now, through its normal exits (a backtest's catch-up in progress is abandoned, the session reactivated). */
  async stop(): Promise<T['summary']> {
    if (this.state !== 'closed') this.machineActor.send({ type: 'STOP' });
    return this.done;
  }

  /**
   * Adds a symbol while the session runs. Throws `SessionError` at once if the request is
   * invalid; otherwise the returned promise resolves when the symbol is active — in a backtest
   * caught up to the current simulated time, live subscribed on the feed with its trailing days
   * and today's bars so far — and rejects with `NO_DATA`, `LOAD_FAILED`, `LOAD_TIMEOUT`,
   * `REMOVED` or `STOPPED` if it never gets there. The other symbols stream on either way.
   */
  addSymbol(symbol: string, options: { streams?: Interval[] } = {}): Promise<DynamicSymbolInfo> {
    return this.requestAdd(symbol, options, { replayed: false });
  }

  private requestAdd(symbol: string, options: { streams?: Interval[] }, origin: CommandOrigin): Promise<DynamicSymbolInfo> {
    if (!this.isRunning) throw notRunningError(this.state, 'add a symbol');
    assertValidSymbol(symbol);
    const streams = resolveStreams(symbol, options.streams);
    const entry = this.roster()[symbol];
    if (entry) {
      const status = symbolStatus(entry.ref);
      if (status !== 'removed' && status !== 'failed') {
        if (entry.origin === 'configured') {
          throw new SessionError('ALREADY_CONFIGURED', `${symbol} is one of the session's configured symbols (${status}); remove it first to add it again.`, { symbol, status });
        }
        throw new SessionError('DUPLICATE_SYMBOL', `${symbol} was already added and is ${status}; remove it first to add it again.`, { symbol, status });
      }
    }
    this.recordCommand({ op: 'add', symbol, streams }, origin);
    const promise = this.requests.add(symbol);
    this.added.push(symbol);
    this.plugin.beforeRequest();
    this.machineActor.send({ type: 'ADD_SYMBOL', symbol, streams, wallTime: Date.now() });
    return promise;
  }

  /**
   * Removes a symbol. Graceful by default: an active symbol streams to the end of the minute in
   * progress, then goes. `immediate: true` drops it at once. A symbol still loading is
   * cancelled either way. Resolves when the symbol is removed; each call gets its own promise
   * (a second graceful removal joins the drain, an immediate one cuts it short).
   */
  removeSymbol(symbol: string, options: { immediate?: boolean } = {}): Promise<void> {
    return this.requestRemove(symbol, options, { replayed: false });
  }

  private requestRemove(symbol: string, options: { immediate?: boolean }, origin: CommandOrigin): Promise<void> {
    if (!this.isRunning) throw notRunningError(this.state, 'remove a symbol');
    assertValidSymbol(symbol);
    const entry = this.roster()[symbol];
    const status = entry ? symbolStatus(entry.ref) : undefined;
    if (!entry || status === 'removed' || status === 'failed') {
      const symbols = this.listSymbols().filter((s) => s.status !== 'removed' && s.status !== 'failed').map((s) => s.symbol);
      throw new SessionError('UNKNOWN_SYMBOL', `${symbol} is not in the session${status ? ` (it is ${status})` : ''}; symbols: ${symbols.join(', ') || 'none'}.`, { symbol });
    }
    this.recordCommand({ op: 'remove', symbol, immediate: options.immediate ?? false }, origin);
    const promise = this.requests.remove(symbol);
    this.removed.push(symbol);
    this.plugin.beforeRequest();
    this.machineActor.send({ type: 'REMOVE_SYMBOL', symbol, immediate: options.immediate ?? false });
    return promise;
  }

  /** A command goes to the journal before it is sent: once the call returns, a crash cannot lose it. */
  private recordCommand(command: SymbolCommand, origin: CommandOrigin): void {
    if (origin.replayed) return;
    this.recorder?.recordCommand({ sim: this.clock.now(), command, ...(origin.planned === undefined ? {} : { planned: origin.planned }) });
  }

  /** Every symbol added while the session ran, with its status. */
  listDynamic(): DynamicSymbolInfo[] {
    // Only the added symbols' rows are built, in a loop with no pair per symbol: the close asks
    // for them every day, with hundreds configured.
    const roster = this.roster();
    const dynamic: DynamicSymbolInfo[] = [];
    for (const symbol in roster) {
      const entry = roster[symbol]!;
      if (entry.origin !== 'dynamic') continue;
      const { status, streams, addedAt, error } = this.symbolInfo(symbol, entry);
      dynamic.push({ symbol, status, streams, addedAt, ...(error ? { error } : {}) });
    }
    return dynamic;
  }

  /** Every symbol, configured or added, with status and counters. */
  listSymbols(): Array<T['info']> {
    const roster = this.roster();
    const symbols: Array<T['info']> = [];
    for (const symbol in roster) symbols.push(this.symbolInfo(symbol, roster[symbol]!));
    return symbols;
  }

  private symbolInfo(symbol: string, entry: SymbolEntry): T['info'] {
    const { context } = entry.ref.getSnapshot();
    const stats = this.plugin.stats(symbol);
    const base: SymbolInfo = {
      symbol,
      origin: entry.origin,
      status: symbolStatus(entry.ref),
      streams: entry.streams,
      addedAt: entry.addedAt,
      // A backtest symbol carried over to a new day kept its actor: the engine knows today's load.
      loaded: stats?.received ?? context.loaded,
      dropped: stats?.dropped ?? emptyDropCounts(),
      caughtUp: stats?.caughtUp ?? {},
      streamed: stats?.streamed ?? {},
      ...(context.error ? { error: context.error } : {}),
    };
    return this.plugin.symbolInfo(base, context);
  }

  /** Subscribes to bars as they become visible. Returns the unsubscribe function. */
  onBar(listener: BarListener): () => void {
    return this.notifier.subscribe(listener);
  }

  /**
   * `onBar` for a listener told where each bar is — `(symbol, interval, bars, index, updated)`,
   * the bar being `bars.t[index]`, `bars.o[index]`, … of the series the session wrote it to —
   * that keeps nothing of it: the same bars, in the same order, with no object built and no
   * number boxed per bar. Read the bar during the call. Returns the unsubscribe function.
   */
  onBarAt(listener: BarAtListener): () => void {
    return this.notifier.subscribeAt(listener);
  }

  on<K extends keyof T['events']>(type: K, handler: (payload: T['events'][K]) => void): () => void {
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
   * With `speed: 'manual'` (backtest), moves the clock `minutes` forward (0 only processes
   * pending adds). Resolves when the clock got there and every add made on the way is caught
   * up. The result is the same as `minutes` calls of `advance(1)`: a request made at a minute
   * takes effect before the next minute, however far one call goes.
   */
  async advance(minutes = 1): Promise<void> {
    if (!this.plugin.advance) throw new SessionError('INVALID_OPTION', `advance() steps a backtest's clock; a ${this.mode} session runs on its own clock.`);
    if (!Number.isInteger(minutes) || minutes < 0) throw new SessionError('INVALID_OPTION', `advance() takes a whole number of minutes >= 0, got ${minutes}.`);
    await this.settled();
    if (this.state === 'closed') return;
    if (!this.isRunning) throw notRunningError(this.state, 'advance the clock');
    await this.plugin.advance(this.actor, minutes, () => this.settled());
  }

  /** With `speed: 'manual'`, advances to the simulated time `epochMs` (a minute boundary). */
  async advanceTo(epochMs: number): Promise<void> {
    const minutes = Math.max(0, Math.ceil((epochMs - this.clock.now()) / MINUTE_MS));
    await this.advance(minutes);
  }

  summary(): T['summary'] {
    const symbols = this.listSymbols();
    const common = {
      date: this.tradingSession.date,
      open: this.tradingSession.open,
      close: this.tradingSession.close,
      endedAt: this.clock.now(),
      droppedOutsideHours: symbols.reduce((sum, s) => sum + s.dropped.outsideHours, 0),
      added: [...this.added],
      removed: [...this.removed],
      notifications: { delivered: this.notifier.delivered, dropped: this.notifier.dropped, listenerErrors: this.notifier.listenerErrors },
    };
    return this.plugin.summary(common, symbols, this.actor.getSnapshot());
  }

  private roster(): SymbolRoster {
    return this.plugin.roster(this.actor.getSnapshot());
  }

  /** What `start()` and `advance()` wait for: the mode's resting point, or closed. */
  private async settled(): Promise<void> {
    await waitFor(this.actor, () => this.state === 'closed' || this.plugin.started(this.actor.getSnapshot()), { timeout: Infinity });
  }

  private onSymbolStatus(event: CommonEventMap['symbol']): void {
    const { symbol, origin, status, error } = event;
    this.recordSymbol(symbol, status, error);
    this.observers.notify('symbol', { symbol, origin, status, ...(error ? { error } : {}) });
    if (status === 'failed') this.logger.warn(`tapedeck: ${symbol} failed: ${error?.message ?? 'unknown reason'}`);
    this.requests.onStatus(symbol, status, error, () => this.listDynamic().find((s) => s.symbol === symbol));
  }

  private close(finish: (summary: T['summary']) => void): void {
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
      // An add that went active on the way here: its caller hears that, not STOPPED.
      this.requests.onStatus(info.symbol, info.status, info.error, () => info);
    }
    this.requests.settleOnClose(this.plugin.unfinished);
  }

  private recordSymbol(symbol: string, status: SymbolStatus, error: SymbolFailure | undefined): void {
    if (!this.recorder) return;
    const entry = this.roster()[symbol];
    if (entry?.origin !== 'dynamic') return;
    this.recorder.recordSymbol({
      symbol,
      status,
      streams: [...entry.streams],
      addedAt: entry.addedAt,
      updatedAt: { sim: this.clock.now(), wall: Date.now() },
      ...(error ? { error } : {}),
    });
  }

  /**
   * An action threw (a bug, by the rules of this code base): the actor is dead and its exit
   * actions did not run. The mode puts its data plane back (a backtest reactivates, so the
   * strategy is never left looking at a hidden session), and every waiting caller fails.
   */
  private onActorCrash(error: unknown): void {
    this.plugin.afterCrash();
    this.logger.error('tapedeck: the session machine failed; the session data was put back and the session ended.', error);
    this.requests.rejectAll(error);
  }
}

/** A live session: the same class, with the live mode plugged in. */
export type LiveSession = Session<LiveTypes>;

/** A session of either mode, seen through what the modes share: what the inspector takes. */
export interface AnySession {
  readonly mode: ModeTypes['name'];
  readonly data: SessionData;
  readonly clock: { now(): number };
  readonly tradingSession: TradingSession;
  readonly calendar: MarketCalendar;
  readonly actor: Actor<AnyStateMachine>;
  readonly state: string;
  readonly isRunning: boolean;
  on<K extends keyof CommonEventMap>(type: K, handler: (payload: CommonEventMap[K]) => void): () => void;
  listSymbols(): SymbolInfo[];
  listDynamic(): DynamicSymbolInfo[];
  addSymbol(symbol: string, options?: { streams?: Interval[] }): Promise<DynamicSymbolInfo>;
  removeSymbol(symbol: string, options?: { immediate?: boolean }): Promise<void>;
  summary(): SessionSummary;
}
