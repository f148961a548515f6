import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { isoTime } from '../../model/iso-time.js';

const DAY_MS = 86_400_000;
const LAST_FOUR_DIGIT_MS = 253_402_300_799_999;

/** What `isoTime` must equal: the string, or the error's constructor and message. */
function expected(ms: number): string {
  try {
    return new Date(ms).toISOString();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

function actual(ms: number): string {
  try {
    return isoTime(ms);
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

testProp(
  'isoTime writes what toISOString writes, for runs of times within a day and across days, and for any number at all',
  [
    fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: LAST_FOUR_DIGIT_MS }),
        fc.integer({ min: 0, max: 3_000_000 }).map((day) => day * DAY_MS),
        fc.integer({ min: 0, max: 3_000_000 }).map((day) => (day + 1) * DAY_MS - 1),
        fc.double({ noDefaultInfinity: false }),
        fc.constantFrom(-1, LAST_FOUR_DIGIT_MS + 1, 8.64e15, -8.64e15, 8.64e15 + 1, Number.NaN, 0.5, -0.5),
      ),
      { minLength: 1, maxLength: 20 },
    ),
    fc.integer({ min: 0, max: 2000 }),
  ],
  (t, times, step) => {
    // Each time, then a run of times after it within its day or into the next, as a CSV holds them.
    for (const ms of times) for (const time of [ms, ms + step, ms + 60_000 * step]) t.is(actual(time), expected(time), String(time));
  },
  { numRuns: 300 },
);

test('the corners of a day and of the range it writes itself', (t) => {
  for (const ms of [0, DAY_MS - 1, DAY_MS, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 8, 14, 30), LAST_FOUR_DIGIT_MS]) t.is(isoTime(ms), new Date(ms).toISOString());
});
