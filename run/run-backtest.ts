import type { MarketCalendar } from '../calendar/market-calendar.js';
import { nyse } from '../calendar/nyse.js';
import type { CommissionModel } from '../broker/commission.js';
import { fromUnits, toUnits } from '../broker/money.js';
import { SimulatedBroker, type BrokerOptions, type EquityPoint } from '../broker/simulated-broker.js';
import type { SlippageModel } from '../broker/slippage.js';
import { computeMetrics, type DailyEquity } from '../metrics/compute-metrics.js';
import { buildRoundTrips } from '../metrics/round-trips.js';
import type { BarStore } from '../model/bar-store.js';
import { MINUTE_MS, type Bar, type StreamBar } from '../model/bar.js';
import type { BarAtListener } from '../data-plane/bar-notifier.js';
import { consoleLogger, type Logger } from '../model/logger.js';
import { createSession } from '../session/create-session.js';
import { resolveStreams, resolveSymbols } from '../session/session-options.js';
import type { Session } from '../session/session.js';
import { BarHistory } from './bar-history.js';
import type { BacktestResult, DaySummary, RunConfig } from './backtest-result.js';
import { resumesFromCheckpoints, type CompletedDay, type DayCheckpoint } from './day-checkpoint.js';
import { ReportCandleCollector } from './report-candles.js';
import { writeResultFiles } from './result-files.js';
import { RunError } from './run-error.js';
import { RunUniverse } from './run-universe.js';
import { RunningBacktest } from './running-backtest.js';
import type { RunCommand, RunPlannedCommand, RunSymbolCommand } from './run-command.js';
import { CommandSchedule, type ScheduledCommand } from '../session/command-schedule.js';
import type { BacktestSpeed } from '../actors/backtest-clock.js';
import type { RunDay, RunSession, Strategy, StrategyBroker, StrategyContext, StrategyParams } from './strategy.js';
import { resolveParams } from './strategy-params.js';

export interface RunBacktestOptions {
  strategy: Strategy<any, any>;
  /** First and last day, `YYYY-MM-DD`, both inclusive: every trading day of the calendar between them runs. */
  from: string;
  to: string;
  store: BarStore;
  /** Overrides the strategy's `symbols`. */
  symbols?: string[];
  /** Overrides the strategy's `params` defaults (strings are read as the default's type). */
  params?: Record<string, unknown>;
  cash: number;
  commission?: CommissionModel;
  slippage?: SlippageModel;
  /** Defaults to `nyse`. */
  calendar?: MarketCalendar;
  /** A folder to write `result.json`, `fills.csv`, `trades.csv`, `equity.csv` and `report.html` into. */
  out?: string;
  logger?: Logger;
  /**
   * Called after each trading day, e.g. to show progress; with `checkpoints: true`, also with
   * the day's checkpoint (when the strategy can be resumed from it: README, "Crash-proof runs").
   */
  onDay?: (day: DaySummary, done: number, total: number, checkpoint?: DayCheckpoint) => void;
  /** Make each day's checkpoint at its close, for `onDay` (it costs a `saveState` and a copy of the day's results). */
  checkpoints?: boolean;
  /**
   * The run's first days as an earlier run completed them (their summaries and checkpoints from
   * `onDay`): the run restores the broker, results, universe and strategy state of the last one
   * and starts at the next day. The strategy must be resumable (`saveState`/`loadState`, or
   * `carry: 'none'` without `result`).
   */
  resume?: readonly CompletedDay[];
  /**
   * Called once, as the first trading day starts (after the warm-up), with the run as other
   * code reaches it while it goes: e.g. to serve the control API on it.
   */
  onStart?: (run: RunningBacktest) => void;
  /**
   * Adds and removals to make from outside the strategy, as the control API would, each on its
   * day when the simulated clock stands at its minute: a run that receives commands at
   * deterministic minutes, whatever the speed.
   */
  plan?: readonly RunPlannedCommand[];
  /**
   * The commands an interrupted run of these days received from outside (`onCommand` gave
   * them): each is made again on its day at its minute, on the days this run runs (a day kept
   * with `resume` has their effect in its checkpoint already).
   */
  commands?: readonly RunCommand[];
  /**
   * Called with each command from outside the strategy (`onStart`'s handle, `plan`) once it is
   * accepted, before it is acknowledged and before it takes effect, with its day and minute:
   * e.g. to journal it. Commands given in `commands` are not reported again.
   */
  onCommand?: (command: RunCommand) => void;
  /** `'max'` (default) or simulated seconds per real second. Results are the same at every speed. */
  speed?: BacktestSpeed;
  /** Called once each trading day's session streams (`index` from 0), e.g. to say which day runs. */
  onDayStart?: (date: string, index: number, total: number) => void;
}

/**
 * Runs a strategy over every trading day from `from` to `to`: one backtest session moved from
 * day to day (at speed `max` unless `speed` says otherwise), the simulated broker fed each 1m
 * bar before the strategy sees it. The strategy's state, positions, open GTC orders and the
 * universe carry from one day to the next. README, "Strategies and runs", says what the results
 * mean.
 */
export async function runBacktest(options: RunBacktestOptions): Promise<BacktestResult> {
  const { strategy, store, logger = consoleLogger } = options;
  if (!strategy || typeof strategy !== 'object' || !Array.isArray(strategy.streams)) {
    throw new RunError('INVALID_STRATEGY', 'runBacktest needs a `strategy` made with defineStrategy({ … }).');
  }
  if (!store || typeof store.getBars !== 'function') {
    throw new RunError('INVALID_OPTION', 'runBacktest needs a `store` (a BarStore such as new ArrowBarStore(dir) or new MemoryBarStore()).');
  }
  const calendar = options.calendar ?? nyse;
  const days = tradingDays(calendar, options.from, options.to);
  const params = resolveParams(strategy.params, options.params);
  const symbols = options.symbols === undefined ? strategy.symbols : resolveSymbols(options.symbols).map((s) => s.symbol);
  const brokerOptions: BrokerOptions = { cash: options.cash, commission: options.commission, slippage: options.slippage };
  const kept = keptDays(options.resume ?? [], days, strategy);
  const last = kept.at(-1)?.checkpoint;
  const broker = last ? SimulatedBroker.restore(brokerOptions, last.broker, kept.flatMap((day) => day.checkpoint.fills)) : new SimulatedBroker(brokerOptions);
  const config: RunConfig = {
    strategy: strategy.name,
    from: days[0]!,
    to: days.at(-1)!,
    calendar: calendar.name,
    symbols: [...symbols],
    streams: [...strategy.streams],
    warmupDays: warmupDays(calendar, days[0]!, strategy.warmup.days),
    cash: options.cash,
    commission: { ...options.commission },
    slippage: { ...options.slippage },
  };
  const configured = new RunUniverse(symbols, strategy.streams);
  const universe = last ? RunUniverse.restore(last.universe) : configured;
  const historyDays = Math.max(1, strategy.warmup.days);
  const history = new BarHistory(historyDays);
  // One session for the whole run, moved from day to day: symbol actors live across days.
  const runDays = new RunDays(universe, store, calendar, logger, options.speed ?? 'max', days.at(-1)!);
  // The warm-up days, and for a resumed run its latest kept days: loaded again as they were at
  // their close, without the strategy or the broker, so that `ctx.history` sees the same bars.
  const loadedForHistory = [
    ...config.warmupDays.map((date) => ({ date, symbols: configured.sessionSymbols() })),
    ...kept.map((day) => ({ date: day.summary.date, symbols: day.checkpoint.held })),
  ].slice(-historyDays);
  for (const { date, symbols: held } of kept.length < days.length ? loadedForHistory : []) {
    const session = await runDays.open(date, undefined, held);
    const { symbols: atClose } = await session.done;
    session.recycleColumns(history.addDay(session.data, atClose));
  }

  const run = new RunContext(strategy, params, broker, history, universe);
  const saved = last?.strategy;
  run.state = saved
    ? hook(strategy.name, 'loadState', () => strategy.loadState!(run as StrategyContext<StrategyParams, undefined>, saved.saved))
    : hook(strategy.name, 'init', () => strategy.init?.(run as StrategyContext<StrategyParams, undefined>));
  const checkpoints = options.checkpoints === true && resumesFromCheckpoints(strategy);
  const firstSession = calendar.session(days[0]!)!;
  const candles = new ReportCandleCollector(calendar.timeZone, days.length, firstSession.close - firstSession.open);
  for (const day of kept) candles.addCandles(day.checkpoint.candles);
  const minutes: EquityPoint[] = kept.flatMap((day) => day.checkpoint.minutes.map((point) => ({ ...point })));
  const equity = new MinuteEquity(minutes, broker);
  const daily: DailyEquity[] = kept.map(({ summary }) => ({ date: summary.date, equity: summary.endEquity }));
  const summaries: DaySummary[] = kept.map(({ summary }) => structuredClone(summary));
  let bars = 0;
  let failure: { error: unknown } | undefined;
  // Bars come by position in their series: the broker and the equity curve take every 1m bar,
  // and an object is built only for a bar the strategy receives.
  runDays.onBar = (symbol, interval, series, i) => {
    if (failure) return;
    try {
      run.startDayOnce();
      if (interval === '1m') {
        equity.settle(series.t[i]! + MINUTE_MS);
        broker.onBarAt(symbol, series, i);
        bars++;
      }
      if (universe.delivers(symbol, interval)) strategy.onBar?.(run, { symbol, interval, t: series.t[i]!, o: series.o[i]!, h: series.h[i]!, l: series.l[i]!, c: series.c[i]!, v: series.v[i]! });
    } catch (error) {
      failure = { error };
      void runDays.stop();
    }
  };
  assertPlan(options.plan ?? [], days, calendar);
  /** A command from outside the strategy, made through the run as the strategy's own are; reported unless replayed. */
  const fromOutside = (date: string, command: RunSymbolCommand, origin: { replayed: boolean; planned?: number }): Promise<unknown> => {
    const made = command.op === 'add' ? run.session.addSymbol(command.symbol, { streams: command.streams }) : run.session.removeSymbol(command.symbol, { immediate: command.immediate, flatten: command.flatten });
    if (!origin.replayed) options.onCommand?.({ date, sim: run.now(), command: structuredClone(command), ...(origin.planned === undefined ? {} : { planned: origin.planned }) });
    return made;
  };
  const scheduled = (date: string) => (entry: ScheduledCommand<RunSymbolCommand>) => {
    try {
      // A failed add is on the symbol and leaves the universe as it was.
      fromOutside(date, entry.command, entry).catch(() => undefined);
    } catch (error) {
      // Refused (POSITION_OPEN, UNKNOWN_SYMBOL, …) as it would be from the control API: the run goes on.
      logger.warn(`tapedeck: ${entry.replayed ? 'replayed' : 'planned'} "${entry.command.op} ${entry.command.symbol}" on ${date} refused: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for (const [index, date] of days.entries()) {
    if (index < kept.length) continue;
    const startEquity = broker.equity;
    const fillsBefore = broker.fills.length;
    const minutesBefore = minutes.length;
    bars = 0;
    const session = await runDays.open(date, (opened) => {
      const tradingSession = calendar.session(date)!;
      run.beginDay({ date, open: tradingSession.open, close: tradingSession.close, index }, opened);
      const journaled = (options.commands ?? []).filter((entry) => entry.date === date);
      const planned = (options.plan ?? []).filter((entry) => entry.date === date);
      opened.scheduleCommands(new CommandSchedule(journaled, planned), scheduled(date));
      if (index === kept.length) options.onStart?.(new RunningBacktest(opened, (command) => fromOutside(run.day.date, command, { replayed: false }), strategy.streams));
    });
    const day = run.day;
    options.onDayStart?.(date, index, days.length);
    if (!failure) {
      try {
        run.startDayOnce();
      } catch (error) {
        failure = { error };
        void session.stop();
      }
    }
    const summary = await session.done;
    if (failure) throw strategyFailed(strategy.name, date, failure.error);
    equity.settle(Number.POSITIVE_INFINITY);
    session.recycleColumns(history.addDay(session.data, summary.symbols));
    // The day's candles are copied out only for a checkpoint.
    const dayCandles: Record<string, Bar[]> | undefined = checkpoints ? {} : undefined;
    candles.addDay(session.data, day.open, summary.symbols, dayCandles);
    hook(strategy.name, date, () => strategy.onDayEnd?.(run, day));
    broker.endOfDay();
    const endEquity = broker.equity;
    daily.push({ date, equity: endEquity });
    const done: DaySummary = {
      date,
      bars,
      pauses: summary.pauses.map(({ reason, simTime, symbols: paused }) => ({ reason, simTime, symbols: [...paused] })),
      added: [...summary.added],
      removed: [...summary.removed],
      symbols: universe.symbols(),
      fills: broker.fills.length - fillsBefore,
      startEquity,
      endEquity,
      pnl: fromUnits(toUnits(endEquity) - toUnits(startEquity)),
    };
    summaries.push(done);
    const checkpoint: DayCheckpoint | undefined = checkpoints
      ? {
          fills: broker.fills.slice(fillsBefore).map((fill) => ({ ...fill })),
          minutes: minutes.slice(minutesBefore).map((point) => ({ ...point })),
          candles: dayCandles!,
          broker: broker.snapshot(),
          universe: universe.snapshot(),
          held: heldSymbols(session),
          ...(strategy.saveState ? { strategy: { saved: asJson(hook(strategy.name, 'saveState', () => strategy.saveState!(run))) } } : {}),
        }
      : undefined;
    options.onDay?.(done, index + 1, days.length, checkpoint);
  }

  const fills = broker.fills.map((fill) => ({ ...fill }));
  const trades = buildRoundTrips(fills);
  const result: BacktestResult = {
    config,
    params,
    metrics: computeMetrics({ initialEquity: options.cash, minuteEquity: minutes, dailyEquity: daily, fills, trades }),
    fills,
    trades,
    equity: { minutes, days: daily },
    days: summaries,
    orders: broker.ordersPlaced,
    candles: candles.finish(fills),
  };
  if (strategy.result) result.extra = hook(strategy.name, 'result', () => strategy.result!(run));
  if (options.out !== undefined) await writeResultFiles(options.out, result);
  return result;
}

/** `resume` checked against the run: its days are the run's first ones, each with a checkpoint the strategy can go on from. */
function keptDays(resume: readonly CompletedDay[], days: readonly string[], strategy: Strategy<any, any>): Array<Required<CompletedDay>> {
  if (resume.length === 0) return [];
  if (!resumesFromCheckpoints(strategy)) {
    throw new RunError('INVALID_OPTION', `Strategy ${strategy.name} cannot start after completed days: it carries its state across days and has no saveState/loadState hooks. Run the days again instead.`, { strategy: strategy.name });
  }
  if (resume.length > days.length) throw new RunError('INVALID_OPTION', `resume holds ${resume.length} days; the run has ${days.length}.`, { days: resume.length });
  return resume.map((day, index) => {
    if (day.summary?.date !== days[index]) {
      throw new RunError('INVALID_OPTION', `resume day ${index + 1} is ${String(day.summary?.date)}; the run's day ${index + 1} is ${days[index]}.`, { index });
    }
    if (!day.checkpoint || (strategy.saveState && !day.checkpoint.strategy)) {
      throw new RunError('INVALID_OPTION', `resume day ${index + 1} (${days[index]}) has no checkpoint${day.checkpoint ? ' of the strategy state' : ''} to go on from.`, { index });
    }
    return { summary: day.summary, checkpoint: day.checkpoint };
  });
}

/** A plan's commands fall on the run's days, within their hours. */
function assertPlan(plan: readonly RunPlannedCommand[], days: readonly string[], calendar: MarketCalendar): void {
  for (const [index, entry] of plan.entries()) {
    const day = days.includes(entry?.date) ? calendar.session(entry.date) : undefined;
    if (!day) throw new RunError('INVALID_OPTION', `plan[${index}] is on ${JSON.stringify(entry?.date)}, not one of the run's days (${days[0]}..${days.at(-1)}).`, { index });
    if (!Number.isFinite(entry.sim) || entry.sim < day.open || entry.sim >= day.close) {
      throw new RunError('INVALID_OPTION', `plan[${index}] is at ${new Date(entry.sim).toISOString()}, outside ${entry.date}'s hours.`, { index });
    }
    if (entry.command?.op !== 'add' && entry.command?.op !== 'remove') throw new RunError('INVALID_OPTION', `plan[${index}] is neither an add nor a remove.`, { index });
  }
}

/** The symbols whose bars the closed session holds (a removed symbol's are gone), with their streams. */
function heldSymbols(session: Session): DayCheckpoint['held'] {
  return session
    .listSymbols()
    .filter(({ symbol, streams }) => streams.some((interval) => (session.data.columns(symbol, interval)?.length ?? 0) > 0))
    .map(({ symbol, streams }) => ({ symbol, streams: [...streams] }));
}

/** What `saveState` returned as JSON reads it back, so a run given it in memory goes on as one given it from a file. */
function asJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

/**
 * The per-minute equity: a minute's point is the account once the minute is over — after its
 * last bar and whatever the strategy did on it — taken when a bar of a later minute arrives or
 * the day closes. Written once a minute, not updated at every bar of it.
 */
class MinuteEquity {
  /** The broker's clock at the last point taken: a minute has a point once. */
  private taken: number;

  constructor(
    private readonly minutes: EquityPoint[],
    private readonly broker: SimulatedBroker,
  ) {
    this.taken = minutes.at(-1)?.t ?? broker.now;
  }

  /**
   * Called with the close of the 1m bar about to reach the broker, or `Infinity` at the close:
   * the minute the broker's clock stands at is over when that is later, and then takes its point.
   */
  settle(nextClose: number): void {
    const now = this.broker.now;
    if (nextClose > now && now !== this.taken) {
      this.taken = now;
      this.minutes.push(this.broker.equityPoint());
    }
  }
}

/**
 * The run's one session, moved to each next day with the universe of the moment configured
 * from its open. `onBar` receives the bars of trading days: warm-up days only fill history,
 * with no listener, so no bar of theirs is published.
 */
class RunDays {
  onBar: BarAtListener | undefined;
  private session: Session | undefined;
  private listening = false;

  constructor(
    private readonly universe: RunUniverse,
    private readonly store: BarStore,
    private readonly calendar: MarketCalendar,
    private readonly logger: Logger,
    private readonly speed: BacktestSpeed,
    /** The run's last trading day: no day after it is read ahead. */
    private readonly lastDate: string,
  ) {}

  /**
   * Starts `date` with `symbols` (the universe's by default) and resolves once it streams;
   * `beforeStart` sees the session before its first bar. The days of a run are consecutive
   * trading days, so the store is then told the next one's bars will be read (`prefetch`).
   */
  async open(date: string, beforeStart?: (session: Session) => void, symbols = this.universe.sessionSymbols()): Promise<Session> {
    let session = this.session;
    if (!session) {
      session = createSession({ mode: 'backtest', date, symbols, store: this.store, calendar: this.calendar, speed: this.speed, logger: this.logger });
      this.session = session;
    }
    const opened = session;
    if (this.onBar && !this.listening) {
      opened.onBarAt(this.onBar);
      this.listening = true;
    }
    beforeStart?.(opened);
    if (opened.state === 'idle') await opened.start();
    else await opened.nextDay(date, symbols);
    if (this.store.prefetch && date < this.lastDate) {
      const next = this.calendar.session(this.calendar.nextTradingDay(date))!;
      void this.store.prefetch('1m', next.open, next.close);
    }
    return opened;
  }

  /** Ends the day in progress (a strategy failed). */
  stop(): Promise<unknown> {
    return this.session ? this.session.stop() : Promise.resolve();
  }
}

function tradingDays(calendar: MarketCalendar, from: string, to: string): string[] {
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new RunError('INVALID_OPTION', `${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}.`, { [name]: value });
    }
  }
  const days = calendar.tradingDays(from, to);
  if (days.length === 0) {
    throw new RunError('NO_TRADING_DAYS', `No trading day on ${calendar.name} from ${from} to ${to}${from > to ? ' (from is after to)' : ''}.`, { from, to });
  }
  return days;
}

function warmupDays(calendar: MarketCalendar, first: string, count: number): string[] {
  const days: string[] = [];
  let date = first;
  for (let i = 0; i < count; i++) {
    date = calendar.previousTradingDay(date);
    days.unshift(date);
  }
  return days;
}

/** `where`: the day, or the hook that runs outside any day (`init`, `result`). */
function strategyFailed(name: string, where: string, error: unknown): RunError {
  const message = error instanceof Error ? error.message : String(error);
  return new RunError('STRATEGY_FAILED', `Strategy ${name} threw ${/^\d/.test(where) ? 'on' : 'in'} ${where}: ${message}`, { where }, { cause: error });
}

function hook<T>(name: string, where: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw strategyFailed(name, where, error);
  }
}

/** The `ctx` every hook receives: one object for the whole run, today's session swapped in each morning. */
class RunContext implements StrategyContext<StrategyParams, unknown> {
  state: unknown;
  day!: RunDay;
  session!: RunSession;
  readonly broker: StrategyBroker;
  private current!: Session;
  private dayStarted = false;

  constructor(
    private readonly strategy: Strategy<any, any>,
    readonly params: StrategyParams,
    private readonly simulated: SimulatedBroker,
    private readonly bars: BarHistory,
    private readonly universe: RunUniverse,
  ) {
    this.broker = brokerView(simulated);
  }

  now(): number {
    return this.current ? this.current.clock.now() : this.simulated.now;
  }

  history(symbol: string, interval: StreamBar['interval'], n: number) {
    return this.bars.last(symbol, interval, n);
  }

  beginDay(day: RunDay, session: Session): void {
    this.day = day;
    this.current = session;
    this.dayStarted = false;
    this.session = sessionView(session, this.simulated, this.universe, this.strategy);
  }

  /** `onDayStart` runs once the session streams, before the day's first bar, so it can add symbols. */
  startDayOnce(): void {
    if (this.dayStarted) return;
    this.dayStarted = true;
    this.strategy.onDayStart?.(this, this.day);
  }
}

function brokerView(broker: SimulatedBroker): StrategyBroker {
  return {
    buy: (symbol, qty, options) => broker.buy(symbol, qty, options),
    sell: (symbol, qty, options) => broker.sell(symbol, qty, options),
    close: (symbol, options) => broker.close(symbol, options),
    cancel: (orderId) => broker.cancel(orderId),
    order: (request) => broker.order(request),
    position: (symbol) => broker.position(symbol),
    positions: () => broker.positions(),
    openOrders: (symbol) => broker.openOrders(symbol),
    get cash() {
      return broker.cash;
    },
    get equity() {
      return broker.equity;
    },
  };
}

function sessionView(session: Session, broker: SimulatedBroker, universe: RunUniverse, strategy: Strategy<any, any>): RunSession {
  return {
    data: session.data,
    addSymbol(symbol, options = {}) {
      const delivered = options.streams === undefined ? strategy.streams : resolveStreams(symbol, options.streams);
      const added = session.addSymbol(symbol, { streams: delivered.includes('1m') ? delivered : ['1m', ...delivered] });
      const held = universe.add(symbol, delivered);
      // A failed add leaves the universe as it was; the caller hears the failure from `added`.
      added.catch(() => universe.drop(symbol, held));
      return added;
    },
    removeSymbol(symbol, options = {}) {
      if (!options.flatten) broker.assertFlat(symbol);
      const removed = session.removeSymbol(symbol, { immediate: options.immediate ?? false });
      if (options.flatten) broker.flatten(symbol);
      else for (const order of broker.openOrders(symbol)) broker.cancel(order.id);
      universe.drop(symbol);
      return removed;
    },
    listDynamic: () => session.listDynamic(),
    listSymbols: () => session.listSymbols(),
  };
}
