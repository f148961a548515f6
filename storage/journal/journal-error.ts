import { CodedError } from '../../model/coded-error.js';

export type JournalErrorCode =
  /** A record before the last one does not match its checksum or is not a record. */
  | 'JOURNAL_CORRUPT'
  /** Written by a tapedeck whose journal format this one does not read. */
  | 'JOURNAL_VERSION'
  /** `--resume` of a run that is not the one asked for (another date, symbols, strategy, params…). */
  | 'JOURNAL_MISMATCH'
  /** `--resume` with no journal, or an empty one. */
  | 'NOTHING_TO_RESUME'
  /** The journal file could not be written. */
  | 'JOURNAL_WRITE_FAILED';

export class JournalError extends CodedError<JournalErrorCode> {
  override readonly name = 'JournalError';
}

export function isJournalError(error: unknown, code?: JournalErrorCode): error is JournalError {
  return error instanceof JournalError && (code === undefined || error.code === code);
}
