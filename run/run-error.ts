import { CodedError } from '../model/coded-error.js';

export type RunErrorCode = 'INVALID_STRATEGY' | 'INVALID_OPTION' | 'UNKNOWN_PARAM' | 'NO_TRADING_DAYS' | 'STRATEGY_FAILED';

/** A run refused before it started, or stopped because the strategy threw. */
export class RunError extends CodedError<RunErrorCode> {
  override readonly name = 'RunError';
}

export function isRunError(error: unknown, code?: RunErrorCode): error is RunError {
  return error instanceof RunError && (code === undefined || error.code === code);
}
