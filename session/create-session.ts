import { nyse } from '../calendar/nyse.js';
import type { Interval } from '../model/bar.js';
import { consoleLogger } from '../model/logger.js';
import { SessionError } from '../model/session-error.js';
import { backtestMode, type BacktestTypes } from './backtest-mode.js';
import { liveMode, type LiveTypes } from './live-mode.js';
import { resolveLiveOptions, type LiveSessionOptions } from './live-session-options.js';
import { resolveBacktestOptions, type SessionOptions } from './session-options.js';
import { Session, type LiveSession } from './session.js';

/**
 * Creates a session: a backtest over stored bars, or a live one on a feed. Every option is
 * checked here, synchronously: a bad date, symbol, interval or speed throws `SessionError`
 * before anything runs — and so does a live session created outside a trading day.
 */
export function createSession(options: LiveSessionOptions): LiveSession;
export function createSession(options: SessionOptions): Session;
export function createSession(options: SessionOptions | LiveSessionOptions): Session | LiveSession {
  const calendar = options?.calendar ?? nyse;
  const logger = options?.logger ?? consoleLogger;
  if (options?.mode === 'live') {
    const live = resolveLiveOptions(options as LiveSessionOptions, calendar);
    const { tradingSession, recorder, resume, extendedHours } = live;
    const recordedConfig = { mode: 'live' as const, date: tradingSession.date, calendar: calendar.name, extendedHours, symbols: copySymbols(live.symbols) };
    const setup = { tradingSession, calendar, logger, recorder, resume, plan: [], recordedConfig, inspect: options.inspect };
    return new Session<LiveTypes>(setup, liveMode(live, calendar));
  }
  if (options?.mode !== 'backtest') {
    throw new SessionError('INVALID_OPTION', `mode must be 'backtest' or 'live', got ${JSON.stringify(options?.mode)}.`);
  }
  const backtest = resolveBacktestOptions(options, calendar);
  const { tradingSession, recorder, resume, plan, speed, extendedHours, inspect } = backtest;
  const recordedConfig = { mode: 'backtest' as const, date: backtest.date, calendar: backtest.calendarName, speed, extendedHours, symbols: copySymbols(backtest.symbols) };
  return new Session<BacktestTypes>({ tradingSession, calendar, logger, recorder, resume, plan, recordedConfig, inspect }, backtestMode(backtest, options.store));
}

function copySymbols(symbols: ReadonlyArray<{ symbol: string; streams: Interval[] }>) {
  return symbols.map(({ symbol, streams }) => ({ symbol, streams: [...streams] }));
}
