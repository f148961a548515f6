import { nyse } from '../calendar/nyse.js';
import { resolveLiveOptions, type LiveSessionOptions } from './live-session-options.js';
import { LiveSession } from './live-session.js';
import { SessionError } from '../model/session-error.js';
import { resolveBacktestOptions, type SessionOptions } from './session-options.js';
import { Session } from './session.js';

/**
 * Creates a session: a backtest over stored bars, or a live one on a feed. Every option is
 * checked here, synchronously: a bad date, symbol, interval or speed throws `SessionError`
 * before anything runs — and so does a live session created outside a trading day.
 */
export function createSession(options: LiveSessionOptions): LiveSession;
export function createSession(options: SessionOptions): Session;
export function createSession(options: SessionOptions | LiveSessionOptions): Session | LiveSession {
  const calendar = options?.calendar ?? nyse;
  if (options?.mode === 'live') {
    const live = options as LiveSessionOptions;
    return new LiveSession(resolveLiveOptions(live, calendar), calendar, live.logger, live.inspect);
  }
  if (options?.mode !== 'backtest') {
    throw new SessionError('INVALID_OPTION', `mode must be 'backtest' or 'live', got ${JSON.stringify(options?.mode)}.`);
  }
  return new Session(resolveBacktestOptions(options, calendar), options.store, calendar, options.logger);
}
