import { isBrokerError } from '../broker/broker-error.js';
import { isSessionError, type SessionErrorCode } from '../model/session-error.js';
import { ControlError } from './control-error.js';
import type { ErrorBody } from './control-protocol.js';

// A refused request says why in the status too: conflicts with the session's state are 409,
// a symbol that is not there 404, a request the session cannot accept as written 422.
const STATUS_OF: Partial<Record<SessionErrorCode, number>> = {
  NOT_RUNNING: 409,
  DUPLICATE_SYMBOL: 409,
  ALREADY_CONFIGURED: 409,
  ALREADY_STARTED: 409,
  UNKNOWN_SYMBOL: 404,
  INVALID_SYMBOL: 422,
  INVALID_INTERVAL: 422,
  INVALID_OPTION: 422,
  INVALID_DATE: 422,
};

/** The HTTP answer for an error thrown while handling a control request. */
export function errorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ControlError) return { status: error.status ?? 400, body: { error: { code: error.code, message: error.message } } };
  if (isSessionError(error)) return { status: STATUS_OF[error.code] ?? 500, body: { error: { code: error.code, message: error.message } } };
  // A strategy run refuses to remove a symbol it holds a position in (unless flatten).
  if (isBrokerError(error, 'POSITION_OPEN')) return { status: 409, body: { error: { code: error.code, message: error.message } } };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: { code: 'INTERNAL', message: `The control server failed on this request (${message}); the session is not affected.` } } };
}
