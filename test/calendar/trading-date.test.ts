import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { Temporal } from 'temporal-polyfill';
import { addDays, parseTradingDate } from '../../calendar/trading-date.js';
import { isSessionError, type SessionError } from '../../model/session-error.js';

test('parses an existing YYYY-MM-DD date, leap days included', (t) => {
  const date = parseTradingDate('2024-02-29');
  t.deepEqual([date.year, date.month, date.day, date.dayOfWeek], [2024, 2, 29, 4]);
  t.is(parseTradingDate('2023-12-31').toString(), '2023-12-31');
});

const malformed: unknown[] = ['24-1-1', '2024-1-05', '2024-01-5', '2024/01/05', '20240105', '', ' 2024-01-05', '2024-01-05T09:30', '+002024-01-05'];
for (const date of malformed) {
  test(`rejects the shape ${JSON.stringify(date)} with INVALID_DATE`, (t) => {
    const error = t.throws<SessionError>(() => parseTradingDate(date));
    t.true(isSessionError(error, 'INVALID_DATE'));
    t.deepEqual(error!.details, { date });
    t.true(error!.message.includes('YYYY-MM-DD'), error!.message);
  });
}

for (const [label, date] of [['a number', 20240105], ['undefined', undefined], ['null', null], ['a Date', new Date(0)], ['an object', { date: '2024-01-05' }]] as const) {
  test(`rejects ${label} with INVALID_DATE`, (t) => {
    const error = t.throws<SessionError>(() => parseTradingDate(date));
    t.true(isSessionError(error, 'INVALID_DATE'));
    t.is(error!.details.date, date);
    t.regex(error!.message, /YYYY-MM-DD.*got a value of type (number|undefined|null|object)\.$/);
  });
}

for (const [date, field] of [['2024-02-30', 'day'], ['2023-02-29', 'day'], ['2024-04-31', 'day'], ['2024-13-01', 'month'], ['2024-00-10', 'month'], ['2024-01-00', 'day']] as const) {
  test(`rejects ${date}, which is not a calendar date`, (t) => {
    const error = t.throws<SessionError>(() => parseTradingDate(date));
    t.true(isSessionError(error, 'INVALID_DATE'));
    t.true(error!.message.startsWith(`${date} is not a calendar date`), error!.message);
    t.true(error!.message.toLowerCase().includes(field), error!.message);
  });
}

test('addDays crosses months, leap days and years in both directions', (t) => {
  t.is(addDays('2024-02-28', 1), '2024-02-29');
  t.is(addDays('2023-02-28', 1), '2023-03-01');
  t.is(addDays('2024-12-31', 1), '2025-01-01');
  t.is(addDays('2025-01-01', -1), '2024-12-31');
  t.is(addDays('2024-03-08', 0), '2024-03-08');
  t.throws(() => addDays('2024-02-30', 1), { code: 'INVALID_DATE' });
});

const someDate = fc.integer({ min: 0, max: 3_000_000 }).map((n) => Temporal.PlainDate.from('1900-01-01').add({ days: n % 73_000 }).toString());

testProp('addDays by n then by -n comes back', [someDate, fc.integer({ min: -5000, max: 5000 })], (t, date, n) => {
  t.is(addDays(addDays(date, n), -n), date);
});

testProp('date strings order like the dates they name, so they can be compared as strings', [someDate, someDate], (t, a, b) => {
  t.is(Math.sign(Temporal.PlainDate.compare(a, b)), Math.sign(a.localeCompare(b)));
});
