import { CodedError } from './coded-error.js';

/** Every way a session call can be refused or a dynamic symbol can fail. */
export type SessionErrorCode =
  | 'NOT_RUNNING'
  | 'NOT_CLOSED'
  | 'DUPLICATE_SYMBOL'
  | 'ALREADY_CONFIGURED'
  | 'INVALID_SYMBOL'
  | 'UNKNOWN_SYMBOL'
  | 'INVALID_INTERVAL'
  | 'INVALID_OPTION'
  | 'INVALID_DATE'
  | 'NOT_A_TRADING_DAY'
  | 'NO_DATA'
  | 'LOAD_FAILED'
  | 'LOAD_TIMEOUT'
  | 'REMOVED'
  | 'STOPPED'
  | 'CORRUPT_FILE'
  | 'BAD_INPUT'
  | 'STORE_BUSY'
  | 'LOCK_LOST'
  | 'IMPORT_INCOMPLETE'
  | 'ALREADY_STARTED';

/** A typed error: `code` says what went wrong, `message` says what to do about it. */
export class SessionError extends CodedError<SessionErrorCode> {
  override readonly name = 'SessionError';
}

export function isSessionError(error: unknown, code?: SessionErrorCode): error is SessionError {
  return error instanceof SessionError && (code === undefined || error.code === code);
}

/** `NOT_RUNNING`, with what to do about it. */
export function notRunningError(state: string, what: string): SessionError {
  const hint = state === 'idle' ? 'call start() first' : 'the session has ended; start a new one';
  return new SessionError('NOT_RUNNING', `Cannot ${what}: the session is ${state} (${hint}).`, { state });
}
