import type { BacktestSpeed } from '../actors/backtest-clock.js';
import { isInterval, MINUTE_MS, type Interval } from '../model/bar.js';
import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import type { BarStore } from '../model/bar-store.js';
import { assertValidSymbol } from '../model/symbol-name.js';
import type { Logger } from '../model/logger.js';
import { SessionError } from '../model/session-error.js';
import type { SessionRecorder, SymbolCommand } from '../model/session-recorder.js';
import type { InspectionEvent, Observer } from 'xstate';

export type InspectionObserver = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export interface SymbolConfig {
  symbol: string;
  /** Intervals to keep and stream; `1m` when omitted. Others are built from 1m bars. */
  streams?: Interval[];
}

export interface SessionOptions {
  mode: 'backtest' | 'live';
  /** The exchange-local trading day, `YYYY-MM-DD`. */
  date: string;
  symbols?: Array<string | SymbolConfig>;
  store: BarStore;
  /** Defaults to `nyse`. */
  calendar?: MarketCalendar;
  /** `'max'` (default), simulated seconds per real second, or `'manual'` (the caller steps with `advance`). */
  speed?: BacktestSpeed;
  /** Keep bars of the extended-hours window too (e.g. 04:00–20:00 on NYSE). Off by default. */
  extendedHours?: boolean;
  /** How long a symbol's history load may take before it is failed with `LOAD_TIMEOUT`. Default 30 000. */
  loadTimeoutMs?: number;
  /** At most this many simulated minutes per clock step when the clock runs ahead (`'max'`, a long `advance`) while a bar could reach a listener; with none, a step covers every minute cleared. Default 30. Performance only: results do not depend on it. */
  maxBatchMinutes?: number;
  logger?: Logger;
  /** Writes configuration, transitions and dynamic symbols down, e.g. `await SessionJournal.open(dir)`. */
  recorder?: SessionRecorder;
  /** XState's inspection observer for the session actor and its symbol actors (see `createInspectorServer`). */
  inspect?: InspectionObserver;
  /**
   * Replays the earlier, interrupted run the recorder holds (opened with `resume`): the day
   * runs again from the open at full speed, each recorded command made again at its minute,
   * up to the minute the earlier run reached, then at `speed`. Needs `recorder`.
   */
  resume?: boolean;
  /**
   * Commands to make at given simulated minutes (epoch ms, on a minute), as if made by hand
   * while the clock stood there: each takes effect at the step to the next minute.
   */
  plan?: PlannedCommand[];
}

/** A command of a `plan`: made when the simulated clock stands at `sim`. */
export interface PlannedCommand {
  sim: number;
  command: SymbolCommand;
}

export interface ResolvedSymbol {
  symbol: string;
  streams: Interval[];
}

export interface ResolvedOptions {
  date: string;
  tradingSession: TradingSession;
  symbols: ResolvedSymbol[];
  speed: BacktestSpeed;
  extendedHours: boolean;
  loadTimeoutMs: number;
  maxBatchMinutes: number;
  calendarName: string;
  recorder: SessionRecorder | undefined;
  resume: boolean;
  plan: PlannedCommand[];
  inspect: InspectionObserver | undefined;
}

/** Checks a `streams` list: known intervals, no repeats; `['1m']` when omitted. */
export function resolveStreams(symbol: string, streams: unknown): Interval[] {
  if (streams === undefined) return ['1m'];
  if (!Array.isArray(streams) || streams.length === 0) {
    throw new SessionError('INVALID_INTERVAL', `Streams for ${symbol} must be a non-empty list such as ['1m', '5m'].`, { symbol, streams });
  }
  for (const interval of streams) {
    if (!isInterval(interval)) {
      throw new SessionError('INVALID_INTERVAL', `Unknown interval ${JSON.stringify(interval)} for ${symbol}: use 1m, 5m, 15m, 30m or 1h.`, { symbol, interval });
    }
  }
  return [...new Set(streams as Interval[])];
}

/** Checks a session's `symbols` option: valid names, known intervals, no symbol twice. */
export function resolveSymbols(entries: ReadonlyArray<string | SymbolConfig> | undefined): ResolvedSymbol[] {
  const seen = new Set<string>();
  const symbols: ResolvedSymbol[] = [];
  for (const entry of entries ?? []) {
    const config = typeof entry === 'string' ? { symbol: entry } : entry;
    const symbol = assertValidSymbol(config?.symbol);
    if (seen.has(symbol)) throw new SessionError('DUPLICATE_SYMBOL', `${symbol} is listed twice in symbols.`, { symbol });
    seen.add(symbol);
    symbols.push({ symbol, streams: resolveStreams(symbol, config.streams) });
  }
  return symbols;
}

function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SessionError('INVALID_OPTION', `${name} must be a positive number, got ${JSON.stringify(value)}.`, { [name]: value });
  }
  return value;
}

/** Validates everything about a backtest's options before anything runs: errors are synchronous. */
export function resolveBacktestOptions(options: SessionOptions, calendar: MarketCalendar): ResolvedOptions {
  if (!options.store || typeof options.store.getBars !== 'function') {
    throw new SessionError('INVALID_OPTION', 'A session needs a `store` (a BarStore such as new LowdbBarStore(dir) or new MemoryBarStore()).');
  }
  const tradingSession = calendar.session(options.date);
  if (!tradingSession) {
    const reason = calendar.closedReason(options.date) ?? 'closed';
    throw new SessionError(
      'NOT_A_TRADING_DAY',
      `${options.date} is not a trading day on ${calendar.name} (${reason}); the previous one is ${calendar.previousTradingDay(options.date)}, the next ${calendar.nextTradingDay(options.date)}.`,
      { date: options.date, reason },
    );
  }
  const symbols = resolveSymbols(options.symbols);
  const speed = options.speed ?? 'max';
  if (speed !== 'max' && speed !== 'manual') positive('speed', speed, 1);
  const maxBatchMinutes = positive('maxBatchMinutes', options.maxBatchMinutes, 30);
  if (!Number.isInteger(maxBatchMinutes)) throw new SessionError('INVALID_OPTION', `maxBatchMinutes must be a whole number of minutes, got ${maxBatchMinutes}.`);
  if (options.resume && !options.recorder) {
    throw new SessionError('INVALID_OPTION', '`resume: true` needs a `recorder` (e.g. await SessionJournal.open(runDir, { resume: true })) to read the earlier run from.');
  }
  return {
    date: tradingSession.date,
    calendarName: calendar.name,
    recorder: options.recorder,
    resume: options.resume ?? false,
    plan: resolvePlan(options.plan, tradingSession),
    inspect: options.inspect,
    tradingSession,
    symbols,
    speed,
    extendedHours: options.extendedHours ?? false,
    loadTimeoutMs: positive('loadTimeoutMs', options.loadTimeoutMs, 30_000),
    maxBatchMinutes,
  };
}

/** Checks a `plan`: minutes of the day, symbols and streams as `addSymbol` and `removeSymbol` take them. */
function resolvePlan(plan: unknown, day: TradingSession): PlannedCommand[] {
  if (plan === undefined) return [];
  if (!Array.isArray(plan)) throw new SessionError('INVALID_OPTION', 'plan must be a list of { sim, command }.');
  return plan.map((entry: PlannedCommand, index) => {
    const where = `plan[${index}]`;
    if (typeof entry?.sim !== 'number' || !Number.isInteger(entry.sim / MINUTE_MS) || entry.sim < day.extendedOpen || entry.sim > day.extendedClose) {
      throw new SessionError('INVALID_OPTION', `${where}.sim must be a minute of ${day.date} (epoch ms), got ${JSON.stringify(entry?.sim)}.`);
    }
    const command = entry.command;
    const symbol = assertValidSymbol(command?.symbol);
    if (command.op === 'add') return { sim: entry.sim, command: { op: 'add', symbol, streams: resolveStreams(symbol, command.streams) } };
    if (command.op === 'remove') return { sim: entry.sim, command: { op: 'remove', symbol, immediate: command.immediate === true } };
    throw new SessionError('INVALID_OPTION', `${where}.command.op must be 'add' or 'remove', got ${JSON.stringify((command as { op?: unknown })?.op)}.`);
  });
}
