import { CodedError } from '../model/coded-error.js';
import { isSessionError } from '../model/session-error.js';
import { ControlError } from '../control/control-error.js';

// The exit codes, as the README documents them.
export const EXIT_OK = 0;
/** Failed, or did nothing useful (e.g. every symbol failed, no bar imported). */
export const EXIT_RUNTIME = 1;
/** What was typed is wrong: an unknown option, a bad value. */
export const EXIT_USAGE = 2;
/** Ran, but part of it failed (some symbols): the output says which. */
export const EXIT_PARTIAL = 3;

/** A command's failure, with the exit code it ends the process with. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: string;
  readonly exitCode: number;
  /** Already reported on stdout (e.g. as the command's JSON document): only the exit code remains. */
  readonly silent: boolean;

  constructor(code: string, message: string, { exitCode = EXIT_RUNTIME, silent = false } = {}) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
    this.silent = silent;
  }
}

// What the user typed was wrong, whether this process or the session found out: a usage error.
const USAGE_CODES = new Set(['INVALID_SYMBOL', 'INVALID_INTERVAL', 'INVALID_OPTION', 'INVALID_DATE', 'NOT_A_TRADING_DAY', 'JOURNAL_MISMATCH']);

export function errorCodeOf(error: unknown): string {
  if (error instanceof CliError || error instanceof ControlError || isSessionError(error) || error instanceof CodedError) return error.code;
  return 'INTERNAL';
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  return USAGE_CODES.has(errorCodeOf(error)) ? EXIT_USAGE : EXIT_RUNTIME;
}
