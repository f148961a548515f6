export type RunErrorCode = 'INVALID_STRATEGY' | 'INVALID_OPTION' | 'UNKNOWN_PARAM' | 'NO_TRADING_DAYS' | 'STRATEGY_FAILED';

/** A run refused before it started, or stopped because the strategy threw. */
export class RunError extends Error {
  override readonly name = 'RunError';
  readonly code: RunErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: RunErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isRunError(error: unknown, code?: RunErrorCode): error is RunError {
  return error instanceof RunError && (code === undefined || error.code === code);
}
