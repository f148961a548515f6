import { SessionError } from './session-error.js';

/**
 * Ticker symbols become file names in the bar store, so they are checked before any path is
 * built: an upper-case letter first, then letters, digits, `.` or `-`, at most 15 characters.
 * That rules out `..`, separators and anything a shell or file system treats specially.
 */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.\-]{0,14}$/;

export function isValidSymbol(value: unknown): value is string {
  return typeof value === 'string' && SYMBOL_PATTERN.test(value) && !value.includes('..');
}

/** Returns the symbol unchanged, or throws `SessionError('INVALID_SYMBOL')`. */
export function assertValidSymbol(value: unknown): string {
  if (!isValidSymbol(value)) {
    throw new SessionError(
      'INVALID_SYMBOL',
      `Invalid symbol ${JSON.stringify(value)}: use 1-15 characters, an upper-case letter first, then A-Z, 0-9, "." or "-" (e.g. AAPL, BRK.B).`,
      { symbol: value },
    );
  }
  return value;
}
