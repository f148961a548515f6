import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { Temporal } from 'temporal-polyfill';
import { nyse } from '../../calendar/nyse.js';
import { isSessionError } from '../../model/session-error.js';

const utc = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

/** Every weekday in `year` on which NYSE does not trade. */
function weekdayClosures(year: number): string[] {
  const first = Temporal.PlainDate.from({ year, month: 1, day: 1 });
  return Array.from({ length: first.daysInYear }, (_, i) => first.add({ days: i }))
    .filter((day) => day.dayOfWeek <= 5 && !nyse.isTradingDay(day.toString()))
    .map((day) => day.toString());
}

function earlyCloses(year: number): string[] {
  return nyse.tradingDays(`${year}-01-01`, `${year}-12-31`).filter((day) => nyse.session(day)!.early);
}

// The published NYSE full-day closures, 2019-2027 (nyse.com holiday tables and their archived copies).
const closures2019to2027: Record<number, string[]> = {
  2019: ['01-01', '01-21', '02-18', '04-19', '05-27', '07-04', '09-02', '11-28', '12-25'],
  2020: ['01-01', '01-20', '02-17', '04-10', '05-25', '07-03', '09-07', '11-26', '12-25'],
  2021: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'],
  2022: ['01-17', '02-21', '04-15', '05-30', '06-20', '07-04', '09-05', '11-24', '12-26'],
  2023: ['01-02', '01-16', '02-20', '04-07', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
  2024: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
  2025: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
  2026: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'],
  2027: ['01-01', '01-18', '02-15', '03-26', '05-31', '06-18', '07-05', '09-06', '11-25', '12-24'],
};

for (const [year, days] of Object.entries(closures2019to2027)) {
  test(`${year}: the weekdays NYSE is closed are exactly the published holidays`, (t) => {
    t.deepEqual(weekdayClosures(Number(year)), days.map((day) => `${year}-${day}`));
  });
}

// NYSE's historical record of full-day closures (weekdays), 1998-2018.
const closures1998to2018 = `
1998-01-01 1998-01-19 1998-02-16 1998-04-10 1998-05-25 1998-07-03 1998-09-07 1998-11-26 1998-12-25
1999-01-01 1999-01-18 1999-02-15 1999-04-02 1999-05-31 1999-07-05 1999-09-06 1999-11-25 1999-12-24
2000-01-17 2000-02-21 2000-04-21 2000-05-29 2000-07-04 2000-09-04 2000-11-23 2000-12-25
2001-01-01 2001-01-15 2001-02-19 2001-04-13 2001-05-28 2001-07-04 2001-09-03 2001-09-11 2001-09-12 2001-09-13 2001-09-14 2001-11-22 2001-12-25
2002-01-01 2002-01-21 2002-02-18 2002-03-29 2002-05-27 2002-07-04 2002-09-02 2002-11-28 2002-12-25
2003-01-01 2003-01-20 2003-02-17 2003-04-18 2003-05-26 2003-07-04 2003-09-01 2003-11-27 2003-12-25
2004-01-01 2004-01-19 2004-02-16 2004-04-09 2004-05-31 2004-06-11 2004-07-05 2004-09-06 2004-11-25 2004-12-24
2005-01-17 2005-02-21 2005-03-25 2005-05-30 2005-07-04 2005-09-05 2005-11-24 2005-12-26
2006-01-02 2006-01-16 2006-02-20 2006-04-14 2006-05-29 2006-07-04 2006-09-04 2006-11-23 2006-12-25
2007-01-01 2007-01-02 2007-01-15 2007-02-19 2007-04-06 2007-05-28 2007-07-04 2007-09-03 2007-11-22 2007-12-25
2008-01-01 2008-01-21 2008-02-18 2008-03-21 2008-05-26 2008-07-04 2008-09-01 2008-11-27 2008-12-25
2009-01-01 2009-01-19 2009-02-16 2009-04-10 2009-05-25 2009-07-03 2009-09-07 2009-11-26 2009-12-25
2010-01-01 2010-01-18 2010-02-15 2010-04-02 2010-05-31 2010-07-05 2010-09-06 2010-11-25 2010-12-24
2011-01-17 2011-02-21 2011-04-22 2011-05-30 2011-07-04 2011-09-05 2011-11-24 2011-12-26
2012-01-02 2012-01-16 2012-02-20 2012-04-06 2012-05-28 2012-07-04 2012-09-03 2012-10-29 2012-10-30 2012-11-22 2012-12-25
2013-01-01 2013-01-21 2013-02-18 2013-03-29 2013-05-27 2013-07-04 2013-09-02 2013-11-28 2013-12-25
2014-01-01 2014-01-20 2014-02-17 2014-04-18 2014-05-26 2014-07-04 2014-09-01 2014-11-27 2014-12-25
2015-01-01 2015-01-19 2015-02-16 2015-04-03 2015-05-25 2015-07-03 2015-09-07 2015-11-26 2015-12-25
2016-01-01 2016-01-18 2016-02-15 2016-03-25 2016-05-30 2016-07-04 2016-09-05 2016-11-24 2016-12-26
2017-01-02 2017-01-16 2017-02-20 2017-04-14 2017-05-29 2017-07-04 2017-09-04 2017-11-23 2017-12-25
2018-01-01 2018-01-15 2018-02-19 2018-03-30 2018-05-28 2018-07-04 2018-09-03 2018-11-22 2018-12-05 2018-12-25
`.trim().split(/\s+/);

test('1998-2018: the weekday closures match the historical record', (t) => {
  const computed = Array.from({ length: 21 }, (_, i) => weekdayClosures(1998 + i)).flat();
  t.deepEqual(computed, closures1998to2018);
});

test('holidays and special closures carry their name', (t) => {
  const reasons: Record<string, string> = {
    '2024-03-29': 'Good Friday',
    '2024-01-15': 'Martin Luther King, Jr. Day',
    '2022-06-20': 'Juneteenth National Independence Day (observed)',
    '2027-06-18': 'Juneteenth National Independence Day (observed)',
    '2022-12-26': 'Christmas Day (observed)',
    '2021-12-24': 'Christmas Day (observed)',
    '2023-01-02': "New Year's Day (observed)",
    '2026-07-03': 'Independence Day (observed)',
    '2026-01-01': "New Year's Day",
    '2001-09-11': 'September 11 attacks',
    '2001-09-14': 'September 11 attacks',
    '2004-06-11': 'National Day of Mourning for Ronald Reagan',
    '2007-01-02': 'National Day of Mourning for Gerald R. Ford',
    '2012-10-29': 'Hurricane Sandy',
    '2012-10-30': 'Hurricane Sandy',
    '2018-12-05': 'National Day of Mourning for George H. W. Bush',
    '2025-01-09': 'National Day of Mourning for Jimmy Carter',
    '2024-03-09': 'weekend',
    '2024-03-10': 'weekend',
  };
  for (const [date, reason] of Object.entries(reasons)) {
    t.is(nyse.closedReason(date), reason, date);
    t.is(nyse.session(date), undefined, date);
  }
});

test('a New Year on Saturday is not observed on the Friday before', (t) => {
  for (const date of ['1999-12-31', '2004-12-31', '2010-12-31', '2021-12-31', '2027-12-31', '2032-12-31']) {
    t.true(nyse.isTradingDay(date), date);
    t.is(nyse.session(date)!.close - nyse.session(date)!.open, 390 * MINUTE, date);
  }
  t.is(nyse.closedReason('2022-01-01'), 'weekend');
});

// Every 13:00 close 2019-2027, with the instant it is: 17:00 UTC in July (EDT), 18:00 UTC in Nov/Dec (EST).
const earlyClose2019to2027: Record<string, string> = {
  '2019-07-03': '17:00',
  '2019-11-29': '18:00',
  '2019-12-24': '18:00',
  '2020-11-27': '18:00',
  '2020-12-24': '18:00',
  '2021-11-26': '18:00',
  '2022-11-25': '18:00',
  '2023-07-03': '17:00',
  '2023-11-24': '18:00',
  '2024-07-03': '17:00',
  '2024-11-29': '18:00',
  '2024-12-24': '18:00',
  '2025-07-03': '17:00',
  '2025-11-28': '18:00',
  '2025-12-24': '18:00',
  '2026-11-27': '18:00',
  '2026-12-24': '18:00',
  '2027-11-26': '18:00',
};

test('2019-2027: the early closes are exactly the published ones, at 13:00 New York time', (t) => {
  const computed = Array.from({ length: 9 }, (_, i) => earlyCloses(2019 + i)).flat();
  t.deepEqual(computed, Object.keys(earlyClose2019to2027));
  for (const [date, utcClose] of Object.entries(earlyClose2019to2027)) {
    const session = nyse.session(date)!;
    t.true(session.early, date);
    t.is(session.close, utc(`${date}T${utcClose}:00Z`), date);
    t.is(session.extendedClose, session.close + 4 * 60 * MINUTE, `${date}: late trading ends at 17:00`);
  }
});

test('early closes from the historical record, and the full days next to them', (t) => {
  const early = ['2000-07-03', '2001-12-24', '2002-07-05', '2002-12-24', '2003-12-26', '2008-07-03', '2013-07-03', '2015-12-24', '2018-12-24'];
  const full = ['2002-07-03', '2008-12-26', '2014-12-26', '2010-07-02', '2015-07-02', '2020-07-02', '2021-12-23', '2027-12-23', '2013-07-05'];
  for (const date of early) t.true(nyse.session(date)?.early, date);
  for (const date of full) t.is(nyse.session(date)?.early, false, date);
  t.is(nyse.session('2002-07-05')!.close, utc('2002-07-05T17:00:00Z'));
  t.is(nyse.session('2003-12-26')!.close, utc('2003-12-26T18:00:00Z'));
});

test('ordinary days next to the DST switches open at 09:30 New York time', (t) => {
  const sessions: Record<string, [string, string]> = {
    '2024-03-08': ['14:30', '21:00'], // EST, the Friday before the switch
    '2024-03-11': ['13:30', '20:00'], // EDT
    '2024-11-01': ['13:30', '20:00'], // EDT, the Friday before the switch back
    '2024-11-04': ['14:30', '21:00'], // EST
    '2007-03-09': ['14:30', '21:00'], // 2007: the first year of the second-Sunday-of-March rule
    '2007-03-12': ['13:30', '20:00'],
  };
  for (const [date, [open, close]] of Object.entries(sessions)) {
    t.deepEqual(
      [nyse.session(date)!.open, nyse.session(date)!.close],
      [utc(`${date}T${open}:00Z`), utc(`${date}T${close}:00Z`)],
      date,
    );
  }
  t.deepEqual(nyse.session('2024-03-08'), {
    date: '2024-03-08',
    open: utc('2024-03-08T14:30:00Z'),
    close: utc('2024-03-08T21:00:00Z'),
    early: false,
    extendedOpen: utc('2024-03-08T09:00:00Z'),
    extendedClose: utc('2024-03-09T01:00:00Z'),
  });
});

test('next and previous trading days step over weekends, holidays and closures', (t) => {
  t.is(nyse.nextTradingDay('2024-03-08'), '2024-03-11');
  t.is(nyse.nextTradingDay('2024-03-09'), '2024-03-11');
  t.is(nyse.nextTradingDay('2024-03-28'), '2024-04-01');
  t.is(nyse.previousTradingDay('2024-04-01'), '2024-03-28');
  t.is(nyse.previousTradingDay('2024-01-02'), '2023-12-29');
  t.is(nyse.nextTradingDay('2001-09-10'), '2001-09-17');
  t.is(nyse.nextTradingDay('2012-10-26'), '2012-10-31');
  t.is(nyse.previousTradingDay('2025-01-10'), '2025-01-08');
});

test('trading days per year match the published counts', (t) => {
  const counts: Record<number, number> = { 2019: 252, 2020: 253, 2021: 252, 2022: 251, 2023: 250, 2024: 252, 2025: 250 };
  for (const [year, count] of Object.entries(counts)) t.is(nyse.tradingDays(`${year}-01-01`, `${year}-12-31`).length, count, year);
});

test('Good Friday falls every year on the Friday two days before Gregorian Easter', (t) => {
  // Easter Sundays from the published tables (e.g. the US Naval Observatory's).
  const easter = ['2000-04-23', '2008-03-23', '2011-04-24', '2019-04-21', '2024-03-31', '2025-04-20', '2030-04-21', '2035-03-25'];
  for (const sunday of easter) {
    const friday = Temporal.PlainDate.from(sunday).subtract({ days: 2 }).toString();
    t.is(nyse.closedReason(friday), 'Good Friday', friday);
  }
  for (let year = 1998; year <= 2035; year++) {
    const fridays = Array.from({ length: 35 }, (_, i) => Temporal.PlainDate.from({ year, month: 3, day: 20 }).add({ days: i }).toString()).filter(
      (day) => nyse.closedReason(day) === 'Good Friday',
    );
    t.is(fridays.length, 1, String(year));
  }
});

test('bad dates throw INVALID_DATE', (t) => {
  for (const date of ['2024-02-30', '24-1-1', '2024-1-05', 20240105, undefined]) {
    t.throws(() => nyse.session(date as string), { code: 'INVALID_DATE' }, String(date));
    t.throws(() => nyse.isTradingDay(date as string), { code: 'INVALID_DATE' }, String(date));
    t.throws(() => nyse.nextTradingDay(date as string), { code: 'INVALID_DATE' }, String(date));
  }
  const error = t.throws(() => nyse.session('2036-01-02'));
  t.true(isSessionError(error, 'INVALID_DATE'));
  t.is(error!.message, '2036-01-02 is outside the nyse calendar, which covers 1998-01-01 to 2035-12-31.');
  t.throws(() => nyse.closedReason('1997-12-31'), { code: 'INVALID_DATE' });
  t.throws(() => nyse.tradingDays('2024-02-01', '2024-01-31'), { code: 'INVALID_DATE' });
  t.throws(() => nyse.nextTradingDay('2035-12-31'), { code: 'INVALID_DATE' });
  t.throws(() => nyse.previousTradingDay('1998-01-02'), { code: 'INVALID_DATE' }); // 1998-01-01 was New Year's Day
  t.is(nyse.previousTradingDay('1998-01-05'), '1998-01-02');
});

const FIRST = Temporal.PlainDate.from('1998-01-01');
const SPAN = FIRST.until(Temporal.PlainDate.from('2035-12-31')).days;
// Dates at least two weeks inside the range, so that next/previous never hit its edges.
const inRange = fc.integer({ min: 14, max: SPAN - 14 }).map((n) => FIRST.add({ days: n }).toString());
const tradingDay = inRange.map((date) => (nyse.isTradingDay(date) ? date : nyse.nextTradingDay(date)));

testProp('next and previous are inverse on trading days', [tradingDay], (t, date) => {
  t.is(nyse.previousTradingDay(nyse.nextTradingDay(date)), date);
  t.is(nyse.nextTradingDay(nyse.previousTradingDay(date)), date);
});

testProp('nextTradingDay is the first trading day strictly after any date', [inRange], (t, date) => {
  const next = nyse.nextTradingDay(date);
  t.true(next > date);
  t.deepEqual(nyse.tradingDays(date, next).filter((day) => day !== date), [next]);
});

const span = fc.record({ from: fc.integer({ min: 0, max: SPAN - 60 }).map((n) => FIRST.add({ days: n }).toString()), length: fc.integer({ min: 0, max: 60 }) });

testProp('tradingDays(from, to) is every date in between that is a trading day', [span], (t, { from, length }) => {
  const to = Temporal.PlainDate.from(from).add({ days: length }).toString();
  const every = Array.from({ length: length + 1 }, (_, i) => Temporal.PlainDate.from(from).add({ days: i }).toString());
  t.deepEqual(nyse.tradingDays(from, to), every.filter((day) => nyse.isTradingDay(day)));
});

testProp('session(d) and closedReason(d) agree with isTradingDay(d)', [inRange], (t, date) => {
  const open = nyse.isTradingDay(date);
  t.is(nyse.session(date) !== undefined, open);
  t.is(nyse.closedReason(date) === undefined, open);
});

testProp('a session lasts 390 minutes, or 210 on an early close, and belongs to its own date', [tradingDay], (t, date) => {
  const session = nyse.session(date)!;
  t.is(session.date, date);
  t.is(session.close - session.open, (session.early ? 210 : 390) * MINUTE);
  t.is(session.open - session.extendedOpen, 330 * MINUTE);
  t.is(session.extendedClose - session.close, 240 * MINUTE);
  t.is(nyse.dateOf(session.open), date);
  t.is(nyse.dateOf(session.extendedClose - 1), date);
});
