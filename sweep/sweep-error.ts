import { CodedError } from '../model/coded-error.js';

export type SweepErrorCode =
  | 'INVALID_GRID'
  | 'INVALID_OPTION'
  | 'NO_STRATEGY_FILE'
  | 'STRATEGY_MISMATCH'
  | 'CARRY_VIOLATED'
  | 'QUEUE_UNREACHABLE'
  | 'QUEUE_LOST';

/** A sweep refused before it started, or one whose queue could not give it every result. */
export class SweepError extends CodedError<SweepErrorCode> {
  override readonly name = 'SweepError';
}

export function isSweepError(error: unknown, code?: SweepErrorCode): error is SweepError {
  return error instanceof SweepError && (code === undefined || error.code === code);
}
