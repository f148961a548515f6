import type { LocalTimeZone } from './local-time.js';

/** What an all-digit time counts: seconds, milliseconds, microseconds or nanoseconds since 1970 UTC. */
export type EpochUnit = 's' | 'ms' | 'us' | 'ns';
export const EPOCH_UNITS: readonly EpochUnit[] = ['s', 'ms', 'us', 'ns'];

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const EXPECTED =
  'expected ISO 8601 (with Z, an offset, or local), a date YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY or YYYYMMDD with an optional time HH:MM[:SS], HHMM[SS] or H:MM AM, or epoch s/ms/µs/ns';
/** Digits dropped to get milliseconds, per unit; seconds are multiplied instead. */
const SUB_MS_DIGITS: Readonly<Record<EpochUnit, number>> = { s: 0, ms: 0, us: 3, ns: 6 };

/**
 * Parses one CSV time value into epoch ms, or says why it cannot. Returns a number or a
 * reason string rather than an object: this runs once per row at hundreds of thousands of
 * rows a second, so the text is scanned by position rather than by regular expression.
 * Accepted:
 * - all digits: epoch time, its unit told by its length (up to 11 digits seconds, 12–14
 *   milliseconds, 15–17 microseconds, 18–19 nanoseconds) unless `epochUnit` says it; without
 *   `epochUnit`, 8 digits are a date `YYYYMMDD`;
 * - a date `YYYY-MM-DD` (or `YYYY/MM/DD`, `YYYY.MM.DD`), `MM/DD/YYYY`, `DD.MM.YYYY` or `YYYYMMDD`,
 *   then optionally `T` or spaces and a time `H:MM`, `HH:MM:SS`, `HH:MM:SS.fff…` (finer than
 *   milliseconds is dropped), `HHMM`, `HHMMSS` or the same with ` AM`/` PM`, then optionally `Z` or an offset
 *   `±HH`, `±HHMM`, `±HH:MM`;
 * - without an offset, the time is exchange-local, read in `zone`; a date alone is its midnight.
 */
export function parseCsvTime(raw: string, zone: LocalTimeZone, epochUnit?: EpochUnit): number | string {
  const text = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
  const n = text.length;
  if (n === 0) return unrecognized(raw);
  if (isDigit(text.charCodeAt(n - 1)) && digits(text, 0, n) >= 0 && (epochUnit !== undefined || n !== 8)) return epochMs(text, raw, epochUnit);

  const cursor = { at: 0 };
  let year: number;
  let month: number;
  let day: number;
  const first = number(text, cursor, 4);
  const sep = text.charCodeAt(cursor.at);
  if (first >= 0 && cursor.at === 4 && (sep === 45 || sep === 47 || sep === 46)) {
    // YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD
    year = first;
    cursor.at++;
    month = number(text, cursor, 2);
    if (text.charCodeAt(cursor.at++) !== sep) return unrecognized(raw);
    day = number(text, cursor, 2);
  } else if (first >= 0 && cursor.at === 8) {
    year = Math.floor(first / 10_000);
    month = Math.floor(first / 100) % 100;
    day = first % 100;
  } else if (first >= 0 && cursor.at <= 2 && (sep === 47 || sep === 46)) {
    // MM/DD/YYYY (US), DD.MM.YYYY (European)
    cursor.at++;
    const second = number(text, cursor, 2);
    if (text.charCodeAt(cursor.at++) !== sep) return unrecognized(raw);
    const start = cursor.at;
    year = number(text, cursor, 4);
    if (cursor.at - start !== 4) return unrecognized(raw);
    [month, day] = sep === 47 ? [first, second] : [second, first];
  } else {
    return unrecognized(raw);
  }
  if (year < 0 || month < 0 || day < 0) return unrecognized(raw);

  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let pastDate = cursor.at;
  while (cursor.at < n && text.charCodeAt(cursor.at) === 32) cursor.at++;
  if (cursor.at < n && text.charCodeAt(cursor.at) === 84) cursor.at++; // 'T'
  if (cursor.at < n && cursor.at > pastDate) {
    const hourAt = cursor.at;
    hour = number(text, cursor, 2);
    // HHMM or HHMMSS without colons (Stooq, Finam, MetaStock exports): four or six digits.
    const compact = cursor.at - hourAt === 2 && isDigit(text.charCodeAt(cursor.at));
    if (hour < 0 || (!compact && text.charCodeAt(cursor.at++) !== 58)) return unrecognized(raw);
    const minuteAt = cursor.at;
    minute = number(text, cursor, 2);
    if (cursor.at - minuteAt !== 2) return unrecognized(raw);
    if (compact && isDigit(text.charCodeAt(cursor.at))) {
      second = digits(text, cursor.at, 2);
      if (second < 0) return unrecognized(raw);
      cursor.at += 2;
    } else if (!compact && text.charCodeAt(cursor.at) === 58) {
      cursor.at++;
      const secondAt = cursor.at;
      second = number(text, cursor, 2);
      if (cursor.at - secondAt !== 2) return unrecognized(raw);
      if (text.charCodeAt(cursor.at) === 46) {
        let scale = 100;
        for (cursor.at++; cursor.at < n && isDigit(text.charCodeAt(cursor.at)); cursor.at++, scale /= 10) if (scale >= 1) millis += (text.charCodeAt(cursor.at) - 48) * scale;
      }
    }
    let spaced = cursor.at;
    while (spaced < n && text.charCodeAt(spaced) === 32) spaced++;
    const meridiem = spaced + 1 < n ? text.charCodeAt(spaced) | 32 : 0;
    if ((meridiem === 97 || meridiem === 112) && (text.charCodeAt(spaced + 1) | 32) === 109) {
      // 12 AM is midnight, 12 PM noon; 13 PM is no time at all.
      if (hour < 1 || hour > 12) return `${JSON.stringify(raw)} is not a valid date and time`;
      hour = (hour % 12) + (meridiem === 112 ? 12 : 0);
      cursor.at = spaced + 2;
    }
    pastDate = cursor.at;
  } else {
    cursor.at = pastDate;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return `${JSON.stringify(raw)} is not a valid date and time`;
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  let at = cursor.at;
  if (at === n) return zone.toEpochMs(year, month, day, wall);
  if (text.charCodeAt(at) === 32 && at + 1 < n) at++;
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

/** All-digit text as epoch ms; sub-millisecond digits are dropped as text, so 19-digit nanoseconds stay exact. */
function epochMs(text: string, raw: string, unit: EpochUnit | undefined): number | string {
  const n = text.length;
  const told = unit ?? (n <= 11 ? 's' : n <= 14 ? 'ms' : n <= 17 ? 'us' : n <= 19 ? 'ns' : undefined);
  if (told === undefined) return unrecognized(raw);
  const kept = n - SUB_MS_DIGITS[told];
  if (kept > 15) return `epoch time ${JSON.stringify(raw)} in ${told} is after the year 9999`;
  const value = kept <= 0 ? 0 : digits(text, 0, kept);
  return told === 's' ? value * 1000 : value;
}

/** Up to `max` digits at `cursor.at`, moving past them; -1 when there is none. */
function number(text: string, cursor: { at: number }, max: number): number {
  let value = 0;
  const start = cursor.at;
  // A YYYYMMDD date is read as one 8-digit number: allow it where a 4-digit year may start.
  const limit = start + (max === 4 && start === 0 ? 8 : max);
  while (cursor.at < text.length && cursor.at < limit && isDigit(text.charCodeAt(cursor.at))) value = value * 10 + text.charCodeAt(cursor.at++) - 48;
  return cursor.at === start ? -1 : value;
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
