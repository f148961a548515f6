import { Temporal } from 'temporal-polyfill';
import { defineCalendar, type EarlyClose, type Holiday } from './define-calendar.js';
import type { MarketCalendar } from './market-calendar.js';

// Sources: NYSE Rule 7.2 (Holidays); the holiday and early-close tables on nyse.com ("Holidays &
// Trading Hours"), published a few years ahead; for the past, NYSE's historical list of closings.
// test/calendar/nyse.test.ts holds the record these rules are checked against (1998-2027). Later
// years apply the same rules: a new holiday or closure must be added here when NYSE announces it.

const MONDAY = 1;
const TUESDAY = 2;
const THURSDAY = 4;
const FRIDAY = 5;
const SATURDAY = 6;
const SUNDAY = 7;

const on = (year: number, month: number, day: number) => Temporal.PlainDate.from({ year, month, day });

function nthWeekday(year: number, month: number, weekday: number, n: number): Temporal.PlainDate {
  const first = on(year, month, 1);
  return first.add({ days: ((weekday - first.dayOfWeek + 7) % 7) + 7 * (n - 1) });
}

function lastWeekday(year: number, month: number, weekday: number): Temporal.PlainDate {
  const first = on(year, month, 1);
  const last = first.with({ day: first.daysInMonth });
  return last.subtract({ days: (last.dayOfWeek - weekday + 7) % 7 });
}

/** Gregorian Easter Sunday by the anonymous (Meeus/Jones/Butcher) algorithm. */
function easterSunday(year: number): Temporal.PlainDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return on(year, Math.floor(n / 31), (n % 31) + 1);
}

const thanksgiving = (year: number) => nthWeekday(year, 11, THURSDAY, 4);

const holiday = (name: string, date: Temporal.PlainDate): Holiday => ({ date: date.toString(), name });

/**
 * Rule 7.2: a holiday on a Sunday is observed the Monday after, one on a Saturday the Friday before
 * "unless unusual business conditions exist, such as the ending of a monthly or the yearly
 * accounting period" — which is why New Year's Day on a Saturday is not observed at all (2022-01-01:
 * 2021-12-31 was a full trading day).
 */
function observed(name: string, date: Temporal.PlainDate, saturday: 'friday' | 'none' = 'friday'): Holiday[] {
  if (date.dayOfWeek === SUNDAY) return [holiday(`${name} (observed)`, date.add({ days: 1 }))];
  if (date.dayOfWeek === SATURDAY) return saturday === 'friday' ? [holiday(`${name} (observed)`, date.subtract({ days: 1 }))] : [];
  return [holiday(name, date)];
}

// One-off closures (national days of mourning by presidential proclamation, and emergencies).
const SPECIAL_CLOSURES: readonly Holiday[] = [
  ...['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14'].map((date) => ({ date, name: 'September 11 attacks' })),
  { date: '2004-06-11', name: 'National Day of Mourning for Ronald Reagan' },
  { date: '2007-01-02', name: 'National Day of Mourning for Gerald R. Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National Day of Mourning for George H. W. Bush' },
  { date: '2025-01-09', name: 'National Day of Mourning for Jimmy Carter' },
];

function holidays(year: number): Holiday[] {
  return [
    ...observed("New Year's Day", on(year, 1, 1), 'none'),
    holiday('Martin Luther King, Jr. Day', nthWeekday(year, 1, MONDAY, 3)), // a NYSE holiday since 1998
    holiday("Washington's Birthday", nthWeekday(year, 2, MONDAY, 3)),
    holiday('Good Friday', easterSunday(year).subtract({ days: 2 })),
    holiday('Memorial Day', lastWeekday(year, 5, MONDAY)),
    ...(year >= 2022 ? observed('Juneteenth National Independence Day', on(year, 6, 19)) : []),
    ...observed('Independence Day', on(year, 7, 4)),
    holiday('Labor Day', nthWeekday(year, 9, MONDAY, 1)),
    holiday('Thanksgiving Day', thanksgiving(year)),
    ...observed('Christmas Day', on(year, 12, 25)),
    ...SPECIAL_CLOSURES.filter((closure) => closure.date.startsWith(`${year}-`)),
  ];
}

// On a 13:00 close the NYSE Arca / American / National / Chicago late sessions end at 17:00 (nyse.com).
const shortDay = (name: string, date: Temporal.PlainDate): EarlyClose => ({ date: date.toString(), close: '13:00', extendedClose: '17:00', name });

function earlyCloses(year: number): EarlyClose[] {
  const closes = [shortDay('Day after Thanksgiving', thanksgiving(year).add({ days: 1 }))];

  // July 4 on a Tue/Wed/Fri: July 3 closes at 13:00. On a Thursday NYSE closed early on Friday
  // July 5 (2002) until it moved the short day to Wednesday July 3 in 2013. On a Saturday or Sunday
  // the observed holiday is the Friday or Monday, and on a Monday July 3 is a Sunday: no short day.
  const july4 = on(year, 7, 4);
  if (july4.dayOfWeek === THURSDAY && year < 2013) closes.push(shortDay('Day after Independence Day', on(year, 7, 5)));
  else if (july4.dayOfWeek >= TUESDAY && july4.dayOfWeek <= FRIDAY) closes.push(shortDay('Independence Day eve', on(year, 7, 3)));

  // Christmas Eve Monday to Thursday; on a Friday it is the observed Christmas (Dec 25 a Saturday).
  const christmasEve = on(year, 12, 24);
  if (christmasEve.dayOfWeek <= THURSDAY) closes.push(shortDay('Christmas Eve', christmasEve));

  // Friday after a Thursday Christmas: 13:00 in 2003 only (2008 and 2014 were full days).
  if (year === 2003) closes.push(shortDay('Day after Christmas', on(2003, 12, 26)));
  return closes;
}

/**
 * The New York Stock Exchange: 09:30-16:00 America/New_York, extended hours 04:00-20:00 (NYSE Arca's
 * early and late sessions, applied to every year), 13:00 closes on the usual short days.
 *
 * Not modelled: late opens and intraday halts (e.g. 2002-09-11 opened at 12:00 for the anniversary,
 * a few 09:31-09:33 opens for moments of silence, 2005-06-01 closed at 15:56 on a systems problem).
 * Uncertain: 1999-12-31 is a full day here; open-source calendars disagree on a 13:00 close that
 * year, and the NYSE list of closings they cite shows none.
 */
export const nyse: MarketCalendar = defineCalendar({
  name: 'nyse',
  timeZone: 'America/New_York',
  hours: { open: '09:30', close: '16:00' },
  extendedHours: { open: '04:00', close: '20:00' },
  holidays,
  earlyCloses,
  firstDate: '1998-01-01',
  lastDate: '2035-12-31',
});
