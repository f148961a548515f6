import { Temporal } from 'temporal-polyfill';
import { SessionError } from '../model/session-error.js';
import type { MarketCalendar, TradingSession } from './market-calendar.js';
import { addDays, parseTradingDate } from './trading-date.js';

/** Exchange-local wall-clock times, `HH:MM`; a close may be `24:00` (midnight ending the day). */
export interface Hours {
  open: string;
  close: string;
}

/** A full-day closure. */
export interface Holiday {
  date: string;
  name: string;
}

/** A shortened day: the regular session ends at `close`; extended hours at `extendedClose` if given. */
export interface EarlyClose {
  date: string;
  close: string;
  name?: string;
  extendedClose?: string;
}

/** A fixed list, or a rule giving one year's entries; a rule runs once per year, on first use. */
export type PerYear<T> = readonly T[] | ((year: number) => readonly T[]);

export interface CalendarDescription {
  name: string;
  /** IANA time zone, e.g. `America/New_York`. */
  timeZone: string;
  hours: Hours;
  /** Pre-market open and after-hours close; without it the extended window is the regular one. */
  extendedHours?: Hours;
  /** ISO weekdays (1 = Monday … 7 = Sunday) the exchange is closed; default `[6, 7]`, `[]` for 24/7. */
  weekend?: readonly number[];
  holidays?: PerYear<Holiday>;
  earlyCloses?: PerYear<EarlyClose>;
  /** The dates the description is known to be right for, inclusive; others throw `INVALID_DATE`. */
  firstDate?: string;
  lastDate?: string;
}

const MINUTES_PER_DAY = 24 * 60;
// Temporal.Instant's range: ±10^8 days around 1970.
const MAX_EPOCH_MS = 8.64e15;
const TIME_SHAPE = /^(\d{2}):(\d{2})$/;

// A closed day is stored as its reason, so one Map answers session(), isTradingDay() and closedReason().
type Day = TradingSession | string;

/**
 * Builds a `MarketCalendar` from a declarative description. Each day's open and close are computed
 * with Temporal (time zone, DST) once, on first use, and cached: later calls cost a Map lookup.
 */
export function defineCalendar(description: CalendarDescription): MarketCalendar {
  const { name, timeZone, regular, extended, weekend, firstDate, lastDate, holidaysOf, earlyClosesOf } = resolve(description);

  const epochAt = (date: Temporal.PlainDate, minutes: number) =>
    date
      .add({ days: Math.floor(minutes / MINUTES_PER_DAY) })
      .toPlainDateTime({ hour: Math.floor((minutes % MINUTES_PER_DAY) / 60), minute: minutes % 60 })
      .toZonedDateTime(timeZone).epochMilliseconds;

  const inRange = (date: unknown): Temporal.PlainDate => {
    const parsed = parseTradingDate(date);
    const text = parsed.toString();
    if (text < firstDate || text > lastDate) {
      throw new SessionError('INVALID_DATE', `${text} is outside the ${name} calendar, which covers ${firstDate} to ${lastDate}.`, { date, firstDate, lastDate });
    }
    return parsed;
  };

  const computeDay = (date: Temporal.PlainDate): Day => {
    if (weekend.has(date.dayOfWeek)) return 'weekend';
    const key = date.toString();
    const holiday = holidaysOf(date.year).get(key);
    if (holiday) return holiday.name;
    const early = earlyClosesOf(date.year).get(key);
    return Object.freeze({
      date: key,
      open: epochAt(date, regular.open),
      close: epochAt(date, early ? early.close : regular.close),
      early: early !== undefined,
      extendedOpen: epochAt(date, extended.open),
      extendedClose: epochAt(date, early ? early.extendedClose : extended.close),
    });
  };

  const days = new Map<string, Day>();
  const dayOf = (date: string): Day => {
    let day = days.get(date);
    if (day === undefined) {
      day = computeDay(inRange(date));
      days.set(date, day);
    }
    return day;
  };
  const isTradingDay = (date: string) => typeof dayOf(date) !== 'string';

  // Steps one day at a time from `date`, never past the range's edge, to the first trading day.
  const step = (date: string, direction: 1 | -1): string => {
    inRange(date);
    const edge = direction === 1 ? lastDate : firstDate;
    for (let day = date; day !== edge; ) {
      day = addDays(day, direction);
      if (isTradingDay(day)) return day;
    }
    const where = direction === 1 ? 'after' : 'before';
    throw new SessionError('INVALID_DATE', `The ${name} calendar has no trading day ${where} ${date} within ${firstDate} to ${lastDate}.`, { date, firstDate, lastDate });
  };

  return {
    name,
    timeZone,
    isTradingDay,
    session: (date) => {
      const day = dayOf(date);
      return typeof day === 'string' ? undefined : day;
    },
    closedReason: (date) => {
      const day = dayOf(date);
      return typeof day === 'string' ? day : undefined;
    },
    nextTradingDay: (date) => step(date, 1),
    previousTradingDay: (date) => step(date, -1),
    tradingDays: (from, to) => {
      const start = inRange(from);
      const end = inRange(to);
      if (Temporal.PlainDate.compare(start, end) > 0) {
        throw new SessionError('INVALID_DATE', `tradingDays: from (${from}) is after to (${to}).`, { from, to });
      }
      const out: string[] = [];
      for (let day = start; Temporal.PlainDate.compare(day, end) <= 0; day = day.add({ days: 1 })) {
        const key = day.toString();
        if (isTradingDay(key)) out.push(key);
      }
      return out;
    },
    dateOf: (epochMs) => {
      if (typeof epochMs !== 'number' || !(Math.abs(epochMs) <= MAX_EPOCH_MS)) {
        throw new SessionError('INVALID_DATE', `dateOf needs epoch milliseconds within ±8.64e15, got ${String(epochMs)}.`, { epochMs });
      }
      return Temporal.Instant.fromEpochMilliseconds(Math.floor(epochMs)).toZonedDateTimeISO(timeZone).toPlainDate().toString();
    },
  };
}

/** Validates a description (`INVALID_OPTION` on any mistake) into minutes, sets and per-year lookups. */
function resolve(description: CalendarDescription) {
  const { name, timeZone } = description;
  const invalid = (message: string, details: Record<string, unknown> = {}) =>
    new SessionError('INVALID_OPTION', `Calendar ${JSON.stringify(name)}: ${message}`, { calendar: name, ...details });

  if (typeof name !== 'string' || name === '') throw invalid('`name` must be a non-empty string.');
  try {
    Temporal.PlainDate.from('2000-01-01').toZonedDateTime(timeZone);
  } catch {
    throw invalid(`unknown time zone ${JSON.stringify(timeZone)}: use an IANA name such as America/New_York.`, { timeZone });
  }

  const minutesOf = (time: unknown, field: string): number => {
    const match = typeof time === 'string' ? TIME_SHAPE.exec(time) : null;
    const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
    if (!match || Number(match[2]) > 59 || !(minutes <= MINUTES_PER_DAY)) {
      throw invalid(`${field} must be a time written HH:MM between 00:00 and 24:00, got ${JSON.stringify(time)}.`, { [field]: time });
    }
    return minutes;
  };
  const window = (hours: Hours | undefined, field: string) => {
    if (typeof hours !== 'object' || hours === null) throw invalid(`${field} must be { open: 'HH:MM', close: 'HH:MM' }.`);
    const open = minutesOf(hours.open, `${field}.open`);
    const close = minutesOf(hours.close, `${field}.close`);
    if (close <= open) throw invalid(`${field}.close (${hours.close}) must be later than ${field}.open (${hours.open}).`, { [field]: hours });
    return { open, close };
  };
  const regular = window(description.hours, 'hours');
  const extended = description.extendedHours ? window(description.extendedHours, 'extendedHours') : regular;
  if (extended.open > regular.open || extended.close < regular.close) {
    throw invalid('extendedHours must contain the regular hours.', { hours: description.hours, extendedHours: description.extendedHours });
  }

  const weekend: ReadonlySet<number> = new Set(description.weekend ?? [6, 7]);
  if (![...weekend].every((day) => Number.isInteger(day) && day >= 1 && day <= 7) || weekend.size === 7) {
    throw invalid('weekend must list ISO weekdays (1 = Monday … 7 = Sunday) and leave at least one open.', { weekend: description.weekend });
  }

  const dateIn = (date: unknown, what: string) => {
    try {
      return parseTradingDate(date);
    } catch (error) {
      throw invalid(`${what}: ${(error as Error).message}`, { date });
    }
  };
  const firstDate = description.firstDate === undefined ? '0000-01-01' : dateIn(description.firstDate, 'firstDate').toString();
  const lastDate = description.lastDate === undefined ? '9999-12-31' : dateIn(description.lastDate, 'lastDate').toString();
  if (firstDate > lastDate) throw invalid(`firstDate (${firstDate}) is after lastDate (${lastDate}).`);

  const entryDate = (date: unknown, year: number | undefined, what: string) => {
    const parsed = dateIn(date, what);
    // A rule's entries are cached under the year it was asked for, so it must stay in that year.
    if (year !== undefined && parsed.year !== year) throw invalid(`${what} on ${String(date)} was returned for year ${year}.`, { date, year });
    return parsed;
  };
  for (const field of ['holidays', 'earlyCloses'] as const) {
    const spec = description[field];
    if (spec !== undefined && !Array.isArray(spec) && typeof spec !== 'function') throw invalid(`${field} must be a list or a function of the year.`);
  }
  const holidaysOf = perYear(description.holidays, (holiday: Holiday, year) => {
    entryDate(holiday?.date, year, 'holiday');
    if (typeof holiday.name !== 'string' || holiday.name === '') throw invalid(`the holiday on ${holiday.date} needs a name.`, { holiday });
    return holiday;
  });
  const earlyClosesOf = perYear(description.earlyCloses, (early: EarlyClose, year) => {
    const date = entryDate(early?.date, year, 'early close');
    const close = minutesOf(early.close, `early close on ${early.date}`);
    if (close <= regular.open || close >= regular.close) {
      throw invalid(`the early close on ${early.date} (${early.close}) must fall inside the regular hours.`, { earlyClose: early });
    }
    // Without its own extendedClose, a short day keeps the usual after-hours close, if there is one.
    const extendedClose =
      early.extendedClose !== undefined ? minutesOf(early.extendedClose, `extendedClose on ${early.date}`) : description.extendedHours ? extended.close : close;
    if (extendedClose < close) throw invalid(`the early close on ${early.date} ends extended hours before the regular session.`, { earlyClose: early });
    const closedBecause = weekend.has(date.dayOfWeek) ? 'weekend' : holidaysOf(date.year).get(early.date)?.name;
    if (closedBecause) throw invalid(`the early close on ${early.date} falls on a closed day (${closedBecause}).`, { earlyClose: early });
    return { close, extendedClose };
  });

  return { name, timeZone, regular, extended, weekend, firstDate, lastDate, holidaysOf, earlyClosesOf };
}

/**
 * Indexes a `PerYear` spec by date, one year at a time: a list is checked and split by year up front,
 * a rule is called the first time its year is asked for. `check` validates an entry and gives what is kept.
 */
function perYear<T extends { date: string }, R>(
  spec: PerYear<T> | undefined,
  check: (entry: T, year: number | undefined) => R,
): (year: number) => ReadonlyMap<string, R> {
  const index = (entries: readonly T[], year: number | undefined) => {
    const byDate = new Map<string, R>();
    for (const entry of entries) {
      const value = check(entry, year);
      if (!byDate.has(entry.date)) byDate.set(entry.date, value);
    }
    return byDate;
  };
  const years = new Map<number, Map<string, R>>();
  if (typeof spec === 'function') {
    return (year) => {
      let byDate = years.get(year);
      if (byDate === undefined) {
        byDate = index(spec(year), year);
        years.set(year, byDate);
      }
      return byDate;
    };
  }
  for (const [date, value] of index(spec ?? [], undefined)) {
    const year = Number(date.slice(0, 4));
    if (!years.has(year)) years.set(year, new Map());
    years.get(year)!.set(date, value);
  }
  const none: ReadonlyMap<string, R> = new Map();
  return (year) => years.get(year) ?? none;
}
