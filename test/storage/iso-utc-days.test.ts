import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { IsoUtcDays } from '../../storage/import/iso-utc-days.js';
import { parseCsvTime } from '../../storage/import/csv-time.js';
import { LocalTimeZone } from '../../storage/import/local-time.js';

const zone = new LocalTimeZone('America/New_York');
const parse = (text: string) => parseCsvTime(text, zone);

const pad = (value: number, width: number) => String(value).padStart(width, '0');
/** ISO UTC times of a few dates, most of them valid, some with a clock or date out of range, some of other shapes. */
const time = fc.oneof(
  fc
    .tuple(fc.constantFrom('2024-03-08', '2024-03-09', '2023-02-29', '2024-02-29', '1999-12-31'), fc.nat(25), fc.nat(61), fc.nat(61), fc.option(fc.nat(999), { nil: undefined }))
    .map(([date, h, m, s, ms]) => `${date}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${ms === undefined ? '' : `.${pad(ms, 3)}`}Z`),
  fc.constantFrom('2024-03-08 09:30', '2024-03-08T14:30:00+00:00', '2024-03-08T14:30:00.5Z', '2024-03-08T14:30:00z', '2024-03-08T1x:30:00Z', '2024-03-08T1/:30:00Z', '2024-03-08T14:3/:00Z', '2024-03-08T14:30:00.0x0Z', '2024-03-08T14:30:00.00/Z', '1709908200'),
);

testProp(
  'any run of times reads as the full parser reads each one alone',
  [fc.array(time, { maxLength: 40 })],
  (t, texts) => {
    const days = new IsoUtcDays(parse);
    t.deepEqual(
      texts.map((text) => days.read(text)),
      texts.map(parse),
    );
  },
  { numRuns: 500 },
);

testProp(
  'a time read where it lies in a line reads as the full parser reads it cut out',
  [fc.array(fc.tuple(fc.string({ maxLength: 30 }), time, fc.string({ maxLength: 30 })), { maxLength: 40 })],
  (t, rows) => {
    const days = new IsoUtcDays(parse);
    t.deepEqual(
      rows.map(([before, text, after]) => days.readAt(`${before}${text}${after}`, before.length, before.length + text.length)),
      rows.map(([, text]) => parse(text)),
    );
  },
  { numRuns: 500 },
);

test('a day of rows parses its date once', (t) => {
  let parsed = 0;
  const days = new IsoUtcDays((text) => {
    parsed++;
    return parse(text);
  });
  for (let minute = 0; minute < 390; minute++) days.read(new Date(Date.UTC(2024, 2, 8, 14, 30 + minute)).toISOString());
  t.is(parsed, 1);
});
