import { Temporal } from 'temporal-polyfill';
import { SessionError } from '../model/session-error.js';

// Dates travel as `YYYY-MM-DD` strings: zero-padded four-digit years make them sort, compare and key
// Maps as plain strings, so only this shape is accepted (no `2024-1-5`, no times, no expanded years).
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses an exchange-local `YYYY-MM-DD` date; anything else throws `SessionError('INVALID_DATE')`. */
export function parseTradingDate(date: unknown): Temporal.PlainDate {
  if (typeof date !== 'string' || !DATE_SHAPE.test(date)) {
    const got = typeof date === 'string' ? JSON.stringify(date) : `a value of type ${date === null ? 'null' : typeof date}`;
    throw new SessionError('INVALID_DATE', `Expected a date written YYYY-MM-DD, e.g. 2024-03-08, got ${got}.`, { date });
  }
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  try {
    return Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' });
  } catch (error) {
    // Temporal names the bad field and its bounds, e.g. "Invalid day: 30; must be between 1-29".
    const why = error instanceof RangeError ? error.message : String(error);
    throw new SessionError('INVALID_DATE', `${date} is not a calendar date (${why}).`, { date }, { cause: error });
  }
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return parseTradingDate(date).add({ days }).toString();
}
