import type { LocalTimeZone } from './local-time.js';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const EXPECTED = 'expected ISO 8601 with Z or an offset, epoch seconds (10 digits) or milliseconds (13), or local YYYY-MM-DD HH:MM[:SS]';

/**
 * Parses one CSV time value into epoch ms, or says why it cannot. Returns a number or a
 * reason string rather than an object: this runs once per row at hundreds of thousands of
 * rows a second. Accepted, by position rather than by regular expression:
 * - `1709908200` (epoch seconds) and `1709908200000` (epoch ms);
 * - `2024-03-08T14:30:00Z`, `2024-03-08 09:30:00.000-05:00`, `...+0530`, `...-05`;
 * - `2024-03-08 09:30`, `2024-03-08T09:30:15`: exchange-local, read in `zone`.
 */
export function parseCsvTime(raw: string, zone: LocalTimeZone): number | string {
  const text = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
  const n = text.length;
  if ((n === 10 || n === 13) && digits(text, 0, n) >= 0) return n === 10 ? digits(text, 0, n) * 1000 : digits(text, 0, n);
  if (n < 16) return unrecognized(raw);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const separator = text.charCodeAt(10);
  if (
    year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 ||
    text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 ||
    (separator !== 84 && separator !== 32) // 'T' or ' '
  ) {
    return unrecognized(raw);
  }
  let at = 16;
  let second = 0;
  let millis = 0;
  if (text.charCodeAt(at) === 58) {
    second = digits(text, at + 1, 2);
    if (second < 0) return unrecognized(raw);
    at += 3;
    if (text.charCodeAt(at) === 46) {
      // Fractions of a second: milliseconds count, finer digits are dropped.
      let scale = 100;
      for (at++; at < n && isDigit(text.charCodeAt(at)); at++, scale /= 10) if (scale >= 1) millis += (text.charCodeAt(at) - 48) * scale;
    }
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return `${JSON.stringify(raw)} is not a valid date and time`;
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (at === n) return zone.toEpochMs(year, month, day, wall);
  const sign = text.charCodeAt(at);
  if ((sign === 90 || sign === 122) && at + 1 === n) return wall; // Z
  if (sign !== 43 && sign !== 45) return unrecognized(raw); // + or -
  const offsetHours = digits(text, at + 1, 2);
  let offsetMinutes = 0;
  let rest = at + 3;
  if (rest < n) {
    if (text.charCodeAt(rest) === 58) rest++;
    offsetMinutes = rest + 2 === n ? digits(text, rest, 2) : -1;
  }
  if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 23 || offsetMinutes > 59) return unrecognized(raw);
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return sign === 43 ? wall - offset : wall + offset;
}

/** The non-negative integer in `text[from, from + count)`, or -1 if any of it is not a digit. */
function digits(text: string, from: number, count: number): number {
  if (from + count > text.length) return -1;
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - 48;
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

function unrecognized(raw: string): string {
  return `unrecognized time ${JSON.stringify(raw)} (${EXPECTED})`;
}
