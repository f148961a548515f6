import { nyse } from '../calendar/nyse.js';
import { SessionError } from './session-error.js';
import { resolveBacktestOptions, type SessionOptions } from './session-options.js';
import { Session } from './session.js';

/**
 * Creates a session. Every option is checked here, synchronously: a bad date, symbol, interval
 * or speed throws `SessionError` before anything runs.
 */
export function createSession(options: SessionOptions): Session {
  if (options?.mode !== 'backtest') {
    throw new SessionError('INVALID_OPTION', `mode must be 'backtest' (live mode is not in this version), got ${JSON.stringify(options?.mode)}.`);
  }
  const calendar = options.calendar ?? nyse;
  return new Session(resolveBacktestOptions(options, calendar), options.store, calendar, options.logger);
}
