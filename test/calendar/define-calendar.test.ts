import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { Temporal } from 'temporal-polyfill';
import { defineCalendar, type CalendarDescription, type Holiday } from '../../calendar/define-calendar.js';
import { isSessionError } from '../../model/session-error.js';

const utc = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

// A 24/7 venue: every day is a UTC day from midnight to midnight.
const crypto = defineCalendar({ name: 'crypto', timeZone: 'UTC', hours: { open: '00:00', close: '24:00' }, weekend: [] });

const cryptoDate = fc.integer({ min: 0, max: 36_500 }).map((n) => Temporal.PlainDate.from('2000-01-01').add({ days: n }).toString());

testProp('24/7: every day trades for 1440 minutes, midnight to midnight UTC', [cryptoDate], (t, date) => {
  const session = crypto.session(date);
  t.truthy(session);
  t.is(session!.open, utc(`${date}T00:00:00Z`));
  t.is(session!.close - session!.open, 1440 * MINUTE);
  t.deepEqual([session!.extendedOpen, session!.extendedClose], [session!.open, session!.close]);
  t.false(session!.early);
  t.is(crypto.closedReason(date), undefined);
  t.is(crypto.dateOf(session!.close - 1), date);
  t.is(crypto.dateOf(session!.close), crypto.nextTradingDay(date));
  t.is(crypto.previousTradingDay(crypto.nextTradingDay(date)), date);
});

test('24/7: a week has seven trading days, weekend included', (t) => {
  t.deepEqual(crypto.tradingDays('2024-03-08', '2024-03-14'), ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14']);
  t.is(crypto.nextTradingDay('2024-03-08'), '2024-03-09');
  t.is(crypto.previousTradingDay('2024-03-01'), '2024-02-29');
});

test('a 00:00-24:00 day in a DST zone lasts 23 hours in spring and 25 in autumn', (t) => {
  const ny = defineCalendar({ name: 'ny-24h', timeZone: 'America/New_York', hours: { open: '00:00', close: '24:00' }, weekend: [] });
  t.is(ny.session('2024-03-10')!.close - ny.session('2024-03-10')!.open, 23 * 60 * MINUTE);
  t.is(ny.session('2024-11-03')!.close - ny.session('2024-11-03')!.open, 25 * 60 * MINUTE);
  t.is(ny.session('2024-03-10')!.close, ny.session('2024-03-11')!.open);
  t.is(ny.session('2024-03-11')!.open, utc('2024-03-11T04:00:00Z'));
});

// An XETRA-like exchange: Frankfurt hours, the 2024 holidays, a 14:00 close on the last day of the year.
const xetraHolidays: Holiday[] = [
  { date: '2024-01-01', name: "New Year's Day" },
  { date: '2024-03-29', name: 'Good Friday' },
  { date: '2024-04-01', name: 'Easter Monday' },
  { date: '2024-05-01', name: 'Labour Day' },
  { date: '2024-12-24', name: 'Christmas Eve' },
  { date: '2024-12-25', name: 'Christmas Day' },
  { date: '2024-12-26', name: 'Boxing Day' },
  { date: '2024-12-31', name: "New Year's Eve" },
];
const xetra = defineCalendar({
  name: 'xetra-like',
  timeZone: 'Europe/Berlin',
  hours: { open: '09:00', close: '17:30' },
  holidays: xetraHolidays,
  earlyCloses: [{ date: '2024-12-30', close: '14:00', name: 'Last trading day of the year' }],
  firstDate: '2024-01-01',
  lastDate: '2024-12-31',
});

test('xetra-like: holidays are closed with their name, weekends as weekend', (t) => {
  t.is(xetra.closedReason('2024-04-01'), 'Easter Monday');
  t.is(xetra.closedReason('2024-03-30'), 'weekend');
  t.is(xetra.session('2024-05-01'), undefined);
  t.false(xetra.isTradingDay('2024-12-24'));
  t.true(xetra.isTradingDay('2024-12-23'));
  t.is(xetra.closedReason('2024-12-23'), undefined);
});

test('xetra-like: hours follow Berlin time across the 2024-03-31 switch to summer time', (t) => {
  t.deepEqual(xetra.session('2024-03-28'), {
    date: '2024-03-28',
    open: utc('2024-03-28T08:00:00Z'),
    close: utc('2024-03-28T16:30:00Z'),
    early: false,
    extendedOpen: utc('2024-03-28T08:00:00Z'),
    extendedClose: utc('2024-03-28T16:30:00Z'),
  });
  t.is(xetra.session('2024-04-02')!.open, utc('2024-04-02T07:00:00Z'));
  t.is(xetra.nextTradingDay('2024-03-28'), '2024-04-02');
  t.is(xetra.previousTradingDay('2024-04-02'), '2024-03-28');
  t.deepEqual(xetra.tradingDays('2024-03-27', '2024-04-03'), ['2024-03-27', '2024-03-28', '2024-04-02', '2024-04-03']);
});

test('xetra-like: the early close shortens the session and, without extended hours, the extended window too', (t) => {
  const session = xetra.session('2024-12-30')!;
  t.true(session.early);
  t.is(session.close, utc('2024-12-30T13:00:00Z'));
  t.is(session.extendedClose, session.close);
  t.is(session.close - session.open, 300 * MINUTE);
});

test('xetra-like: dates outside firstDate..lastDate throw INVALID_DATE naming the range', (t) => {
  const error = t.throws(() => xetra.session('2025-01-02'));
  t.true(isSessionError(error, 'INVALID_DATE'));
  t.true(error!.message.includes('2024-01-01 to 2024-12-31'), error!.message);
  t.throws(() => xetra.isTradingDay('2023-12-29'), { code: 'INVALID_DATE' });
  // 2024-12-31 is a holiday and the last date covered: there is no next trading day to give.
  t.throws(() => xetra.nextTradingDay('2024-12-30'), { code: 'INVALID_DATE', message: /no trading day after 2024-12-30/ });
  t.throws(() => xetra.previousTradingDay('2024-01-02'), { code: 'INVALID_DATE', message: /no trading day before 2024-01-02/ });
  t.is(xetra.previousTradingDay('2024-01-03'), '2024-01-02');
});

test('xetra-like: dateOf gives the Berlin date of an instant', (t) => {
  t.is(xetra.dateOf(utc('2024-03-28T22:59:59Z')), '2024-03-28');
  t.is(xetra.dateOf(utc('2024-03-28T23:00:00Z')), '2024-03-29');
  t.throws(() => xetra.dateOf(Number.NaN), { code: 'INVALID_DATE' });
});

test('tradingDays throws INVALID_DATE when from is after to', (t) => {
  t.throws(() => xetra.tradingDays('2024-03-02', '2024-03-01'), { code: 'INVALID_DATE', message: /after/ });
  t.deepEqual(xetra.tradingDays('2024-03-01', '2024-03-01'), ['2024-03-01']);
  t.deepEqual(xetra.tradingDays('2024-03-02', '2024-03-03'), []);
});

test('a session is computed once: later calls return the same frozen object', (t) => {
  const first = xetra.session('2024-06-03');
  t.is(xetra.session('2024-06-03'), first);
  t.true(Object.isFrozen(first));
});

test('a holiday rule runs once per year, on first use, and its days are cached', (t) => {
  const asked: number[] = [];
  const calendar = defineCalendar({
    name: 'lazy',
    timeZone: 'UTC',
    hours: { open: '10:00', close: '16:00' },
    holidays: (year) => {
      asked.push(year);
      return [{ date: `${year}-07-01`, name: 'Mid-year' }];
    },
  });
  t.deepEqual(asked, []);
  t.is(calendar.closedReason('2024-07-01'), 'Mid-year');
  t.true(calendar.isTradingDay('2024-07-02'));
  t.deepEqual(asked, [2024]);
  t.is(calendar.closedReason('2025-07-01'), 'Mid-year');
  calendar.tradingDays('2024-01-01', '2025-12-31');
  t.deepEqual(asked, [2024, 2025]);
});

test('extended hours: an early close keeps the usual after-hours close unless it gives its own', (t) => {
  const calendar = defineCalendar({
    name: 'ext',
    timeZone: 'UTC',
    hours: { open: '09:30', close: '16:00' },
    extendedHours: { open: '04:00', close: '20:00' },
    earlyCloses: [
      { date: '2024-07-03', close: '13:00' },
      { date: '2024-12-24', close: '13:00', extendedClose: '17:00' },
    ],
  });
  t.is(calendar.session('2024-07-03')!.extendedClose, utc('2024-07-03T20:00:00Z'));
  t.is(calendar.session('2024-12-24')!.extendedClose, utc('2024-12-24T17:00:00Z'));
  t.is(calendar.session('2024-12-24')!.extendedOpen, utc('2024-12-24T04:00:00Z'));
});

const valid: CalendarDescription = { name: 'ok', timeZone: 'UTC', hours: { open: '09:00', close: '17:00' } };
const badDescriptions: Array<[string, Partial<CalendarDescription> | Record<string, unknown>, RegExp]> = [
  ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, /time zone "Mars\/Olympus_Mons"/],
  ['a time without a leading zero', { hours: { open: '9:00', close: '17:00' } }, /hours\.open must be a time written HH:MM/],
  ['minutes past 59', { hours: { open: '09:60', close: '17:00' } }, /hours\.open/],
  ['a time past 24:00', { hours: { open: '09:00', close: '24:01' } }, /hours\.close/],
  ['a close before the open', { hours: { open: '17:00', close: '09:00' } }, /must be later than hours\.open/],
  ['a close equal to the open', { hours: { open: '09:00', close: '09:00' } }, /must be later/],
  ['extended hours that do not contain the regular ones', { extendedHours: { open: '10:00', close: '20:00' } }, /extendedHours must contain/],
  ['a weekend of all seven days', { weekend: [1, 2, 3, 4, 5, 6, 7] }, /weekend/],
  ['a weekday number out of 1..7', { weekend: [0, 6] }, /weekend/],
  ['a holiday with an impossible date', { holidays: [{ date: '2024-02-30', name: 'Nope' }] }, /2024-02-30 is not a calendar date/],
  ['a holiday without a name', { holidays: [{ date: '2024-02-01', name: '' }] }, /needs a name/],
  ['holidays that are neither a list nor a rule', { holidays: 'none' }, /holidays must be a list/],
  ['an early close outside the hours', { earlyCloses: [{ date: '2024-02-01', close: '18:00' }] }, /inside the regular hours/],
  ['an early close on a holiday', { holidays: [{ date: '2024-02-01', name: 'Feast' }], earlyCloses: [{ date: '2024-02-01', close: '13:00' }] }, /closed day \(Feast\)/],
  ['an early close on a weekend', { earlyCloses: [{ date: '2024-02-03', close: '13:00' }] }, /closed day \(weekend\)/],
  ['a firstDate after the lastDate', { firstDate: '2025-01-01', lastDate: '2024-01-01' }, /firstDate \(2025-01-01\) is after lastDate/],
  ['a malformed lastDate', { lastDate: '2024-1-1' }, /lastDate: Expected a date written YYYY-MM-DD/],
];
for (const [what, change, message] of badDescriptions) {
  test(`defineCalendar rejects ${what} with INVALID_OPTION`, (t) => {
    const error = t.throws(() => defineCalendar({ ...valid, ...change } as CalendarDescription));
    t.true(isSessionError(error, 'INVALID_OPTION'), String(error));
    t.regex(error!.message, message);
  });
}

test('a holiday rule that returns another year, or a bad entry, fails each time it is asked, not once', (t) => {
  const calendar = defineCalendar({ ...valid, holidays: (year) => [{ date: `${year + 1}-01-02`, name: 'Wrong year' }] });
  for (let i = 0; i < 2; i++) t.throws(() => calendar.session('2024-03-04'), { code: 'INVALID_OPTION', message: /2025-01-02 was returned for year 2024/ });
});
