import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { validateDayBars, validateDayColumns } from '../../data-plane/day-bars.js';
import { totalDropped } from '../../model/counts.js';

const M = 60_000;
const window = { open: 100 * M, close: 110 * M };
const ok = (m: number) => ({ t: m * M, o: 10, h: 11, l: 9, c: 10, v: 5 });

test('keeps valid bars in hours and counts every reason for dropping the rest', (t) => {
  const day = validateDayBars(
    'AAPL',
    [
      ok(99), // before the open
      ok(100),
      { ...ok(101), c: Number.NaN },
      { ...ok(102), v: -1 },
      { ...ok(103), h: 8 }, // high below low
      { ...ok(104), t: 104 * M + 1 }, // not on a minute
      ok(105),
      ok(105), // duplicate
      ok(104), // back in time
      null,
      'garbage',
      ok(110), // at the close: outside
    ],
    window,
  );
  t.deepEqual(Array.from(day.t.subarray(0, day.length)), [100 * M, 105 * M]);
  t.deepEqual(day.dropped, { outsideHours: 2, nonFinite: 3, negative: 1, highBelowLow: 1, outOfOrder: 2, misaligned: 1 });
  t.is(day.received, 12);
  t.is(totalDropped(day.dropped), 10);
});

test('an empty day is valid and empty', (t) => {
  const day = validateDayBars('AAPL', [], window);
  t.is(day.length, 0);
  t.is(totalDropped(day.dropped), 0);
});

testProp(
  'bars given as columns are judged exactly as bars given as objects',
  [
    fc.array(
      fc.record({
        t: fc.oneof(fc.integer({ min: 95, max: 115 }).map((m) => m * M), fc.integer({ min: 95 * M, max: 115 * M })),
        o: fc.double({ min: -1, max: 100 }),
        h: fc.double({ min: -1, max: 100 }),
        l: fc.double({ min: -1, max: 100 }),
        c: fc.double({ min: -1, max: 100 }),
        v: fc.double({ min: -1, max: 1000 }),
      }),
      { maxLength: 60 },
    ),
  ],
  (t, bars) => {
    const column = (key: 'o' | 'h' | 'l' | 'c' | 'v' | 't') => Float64Array.from(bars, (bar) => bar[key]);
    const columns = { length: bars.length, t: column('t'), o: column('o'), h: column('h'), l: column('l'), c: column('c'), v: column('v') };
    t.deepEqual(validateDayColumns('AAPL', columns, window), validateDayBars('AAPL', bars, window));
  },
);

testProp(
  'a clean day given as columns is kept whole, as the columns it came in, and judged as objects would be',
  [fc.uniqueArray(fc.integer({ min: 100, max: 109 }), { minLength: 1 }), fc.double({ min: 1, max: 500, noNaN: true })],
  (t, minutes, price) => {
    const bars = minutes.sort((a, b) => a - b).map((m) => ({ t: m * M, o: price, h: price + 1, l: price - 0.5, c: price, v: 10 }));
    const column = (key: 'o' | 'h' | 'l' | 'c' | 'v' | 't') => Float64Array.from(bars, (bar) => bar[key]);
    const columns = { length: bars.length, t: column('t'), o: column('o'), h: column('h'), l: column('l'), c: column('c'), v: column('v') };
    const day = validateDayColumns('AAPL', columns, window);
    t.is(day.c, columns.c, 'no copy');
    t.deepEqual(day, validateDayBars('AAPL', bars, window));
  },
);

testProp(
  'a clean day with at most one bad value is judged as bars given as objects are (the fast check of a clean day)',
  [
    fc.integer({ min: 0, max: 10 }),
    fc.option(
      fc.record({
        at: fc.nat(),
        key: fc.constantFrom('t', 'o', 'h', 'l', 'c', 'v'),
        value: fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, -1e-9, 0, 1e300, 99 * M, 110 * M, 100 * M + 1, 100 * M + 0.5, 105 * M - 1e-4),
      }),
    ),
  ],
  (t, count, flaw) => {
    const bars: Array<Record<string, number>> = Array.from({ length: count }, (_, i) => ok(100 + i));
    if (flaw && count > 0) bars[flaw.at % count]![flaw.key] = flaw.value;
    const column = (key: string) => Float64Array.from(bars, (bar) => bar[key]!);
    const columns = { length: bars.length, t: column('t'), o: column('o'), h: column('h'), l: column('l'), c: column('c'), v: column('v') };
    t.deepEqual(validateDayColumns('AAPL', columns, window), validateDayBars('AAPL', bars, window));
  },
);
