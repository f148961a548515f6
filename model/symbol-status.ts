import { SessionError, type SessionErrorCode } from './session-error.js';

/** Where a symbol is in its life, in either mode. */
export type SymbolStatus = 'queued' | 'loading' | 'catchingUp' | 'active' | 'draining' | 'removed' | 'failed';

export interface SymbolFailure {
  code: SessionErrorCode;
  message: string;
}

/** A load's error as the symbol reports it: its SessionError code, else LOAD_FAILED. */
export function failureOf(error: unknown): SymbolFailure {
  if (error instanceof SessionError) return { code: error.code, message: error.message };
  return { code: 'LOAD_FAILED', message: error instanceof Error ? error.message : String(error) };
}
