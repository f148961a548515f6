import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import type { Interval } from '../model/bar.js';
import { wallClock, type LiveClock } from '../data-plane/live-clock.js';
import type { HistorySource, LiveFeed } from '../model/live-feed.js';
import type { BarStore } from '../model/bar-store.js';
import type { Logger } from '../model/logger.js';
import type { SessionRecorder } from '../model/session-recorder.js';
import { SessionError } from '../model/session-error.js';
import { resolveSymbols, type InspectionObserver, type SymbolConfig } from './session-options.js';

export interface LiveSessionOptions {
  mode: 'live';
  /** Where live bars come from: `new AlpacaFeed(…)`, `new ReplayFeed(…)`, or your own `LiveFeed`. */
  feed: LiveFeed;
  symbols?: Array<string | SymbolConfig>;
  /** History for added symbols and gap fill when the feed has none of its own (`feed.history`). */
  store?: BarStore;
  /** History source that wins over both `feed.history` and `store`. */
  history?: HistorySource;
  /** Earlier trading days loaded with each symbol, before today's bars so far. Default 0. */
  trailingDays?: number;
  /** Defaults to `nyse`. */
  calendar?: MarketCalendar;
  /** The wall clock, `Date.now` by default; inject one to test or replay faster than real time. */
  clock?: LiveClock;
  extendedHours?: boolean;
  /** How often (real ms) the session checks the clock: derived buckets, drains, open and close. Default 250. */
  tickMs?: number;
  /** How long after a minute or bucket closes its bar may still arrive. Default 5 000 ms. */
  barGraceMs?: number;
  logger?: Logger;
  inspect?: InspectionObserver;
  /** Writes configuration, transitions and dynamic symbols down, e.g. `await SessionJournal.open(dir)`. */
  recorder?: SessionRecorder;
  /** Adds again, at the start, the dynamic symbols the recorder holds from an earlier run. Needs `recorder`. */
  resume?: boolean;
}

export interface ResolvedLiveOptions {
  feed: LiveFeed;
  tradingSession: TradingSession;
  symbols: Array<{ symbol: string; streams: Interval[] }>;
  history: HistorySource;
  clock: LiveClock;
  trailingDays: number;
  extendedHours: boolean;
  tickMs: number;
  barGraceMs: number;
  recorder: SessionRecorder | undefined;
  resume: boolean;
}

/** Reads 1m bars from a `BarStore` as a history source. */
export function storeHistory(store: BarStore): HistorySource {
  return { getBars: (symbol, start, end) => store.getBars(symbol, '1m', start, end) };
}

function count(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new SessionError('INVALID_OPTION', `${name} must be a whole number >= ${min}, got ${JSON.stringify(value)}.`, { [name]: value });
  }
  return value;
}

/** Validates a live session's options, synchronously; today is the exchange-local date of the clock. */
export function resolveLiveOptions(options: LiveSessionOptions, calendar: MarketCalendar): ResolvedLiveOptions {
  const { feed } = options;
  if (!feed || typeof feed.start !== 'function' || typeof feed.subscribe !== 'function') {
    throw new SessionError('INVALID_OPTION', 'A live session needs a `feed` (new AlpacaFeed(…), new ReplayFeed(…), or any LiveFeed).');
  }
  const history = options.history ?? feed.history ?? (options.store ? storeHistory(options.store) : undefined);
  if (!history) throw new SessionError('INVALID_OPTION', `The ${feed.name} feed has no history of its own: give the session a \`store\` (or \`history\`) to load added symbols and fill gaps from.`);
  const clock = options.clock ?? wallClock;
  const now = clock.now();
  const date = calendar.dateOf(now);
  const extendedHours = options.extendedHours ?? false;
  const tradingSession = calendar.session(date);
  if (!tradingSession) {
    const reason = calendar.closedReason(date) ?? 'closed';
    throw new SessionError('NOT_A_TRADING_DAY', `Today (${date}) is not a trading day on ${calendar.name} (${reason}); the next one is ${calendar.nextTradingDay(date)}.`, { date, reason });
  }
  const close = extendedHours ? tradingSession.extendedClose : tradingSession.close;
  if (now >= close) {
    throw new SessionError('NOT_A_TRADING_DAY', `The ${date} session on ${calendar.name} closed at ${new Date(close).toISOString()}; the next one is ${calendar.nextTradingDay(date)}.`, { date, reason: 'closed for the day' });
  }
  const symbols = resolveSymbols(options.symbols);
  if (options.resume && !options.recorder) {
    throw new SessionError('INVALID_OPTION', '`resume: true` needs a `recorder` (e.g. await SessionJournal.open(runDir, { resume: true })) to read the earlier run from.');
  }
  return {
    recorder: options.recorder,
    resume: options.resume ?? false,
    feed,
    tradingSession,
    symbols,
    history,
    clock,
    extendedHours,
    trailingDays: count('trailingDays', options.trailingDays, 0, 0),
    tickMs: count('tickMs', options.tickMs, 250, 1),
    barGraceMs: count('barGraceMs', options.barGraceMs, 5000, 0),
  };
}
