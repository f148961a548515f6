import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { isVouched, vouch } from '../../data-plane/bar-rules.js';
import { validateDayBars, validateDayColumns, type DayBars } from '../../data-plane/day-bars.js';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { barStoreContract } from './bar-store-contract.js';

barStoreContract('MemoryBarStore', async () => ({ store: new MemoryBarStore(), cleanup: async () => {} }), { batchRead: true });

test('symbols() lists the symbols holding bars', async (t) => {
  const store = new MemoryBarStore();
  t.deepEqual(await store.symbols(), []);
  await store.putBars('MSFT', '5m', [{ t: 0, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
  await store.putBars('AAPL', '1m', [{ t: 0, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
  await store.putBars('AAPL', '5m', [{ t: 0, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
  await store.putBars('TSLA', '1m', []);
  t.deepEqual(await store.symbols(), ['AAPL', 'MSFT']);
});

test('both stores answer getBarColumns, so sessions load them without an object per bar', async (t) => {
  const store = new MemoryBarStore();
  await store.putBars('AAPL', '1m', [{ t: 60_000, o: 1, h: 2, l: 0.5, c: 1.5, v: 10 }]);
  const columns = await store.getBarColumns('AAPL', '1m', 0, 120_000);
  t.is(columns.length, 1);
  t.is(columns.c[0], 1.5);
  t.is((await store.getBarColumns('MSFT', '1m', 0, 120_000)).length, 0);
});

const M = 60_000;
const window = { open: 100 * M, close: 110 * M };
/** A loaded day as the session sees it: its first `length` bars and its counts. */
const held = (day: DayBars) => ({
  ...day,
  ...Object.fromEntries((['t', 'o', 'h', 'l', 'c', 'v'] as const).map((key) => [key, Array.from(day[key].subarray(0, day.length))])),
});

testProp(
  'a day read from the store loads as its bars judged one by one would, however they were put',
  [
    fc.array(
      fc.array(
        fc.record({
          t: fc.oneof(fc.integer({ min: 95, max: 115 }).map((m) => m * M), fc.integer({ min: 95 * M, max: 115 * M })),
          o: fc.double({ min: -1, max: 100, noNaN: true }),
          h: fc.double({ min: -1, max: 100, noNaN: true }),
          l: fc.double({ min: -1, max: 100, noNaN: true }),
          c: fc.double({ min: -1, max: 100, noNaN: true }),
          v: fc.double({ min: -1, max: 1000, noNaN: true }),
        }),
        { maxLength: 12 },
      ),
      { maxLength: 4 },
    ),
  ],
  async (t, batches) => {
    const store = new MemoryBarStore();
    for (const batch of batches) await store.putBars('AAPL', '1m', batch);
    const columns = await store.getBarColumns('AAPL', '1m', window.open, window.close);
    const judged = validateDayBars('AAPL', await store.getBars('AAPL', '1m', window.open, window.close), window);
    t.deepEqual(held(validateDayColumns('AAPL', columns, window)), held(judged));
  },
);

test('reads of a series whose every bar passed the rules when put are vouched for; one bad bar put ends that', async (t) => {
  const store = new MemoryBarStore();
  const bar = (m: number, h = 11) => ({ t: m * M, o: 10, h, l: 9, c: 10, v: 5 });
  await store.putBars('AAPL', '1m', [bar(100), bar(101)]);
  await store.putBars('AAPL', '1m', [bar(102)]);
  t.true(isVouched(await store.getBarColumns('AAPL', '1m', window.open, window.close)));
  await store.putBars('AAPL', '1m', [bar(103, 8)]);
  const columns = await store.getBarColumns('AAPL', '1m', window.open, window.close);
  t.false(isVouched(columns));
  t.is(validateDayColumns('AAPL', columns, window).dropped.highBelowLow, 1);
  // Replacing the bad bar does not vouch again: the series is judged at each read from then on.
  await store.putBars('AAPL', '1m', [bar(103)]);
  t.false(isVouched(await store.getBarColumns('AAPL', '1m', window.open, window.close)));
});

test('vouched columns are still held to the window', (t) => {
  const day = [99, 100, 110].map((m) => ({ t: m * M, o: 10, h: 11, l: 9, c: 10, v: 5 }));
  const column = (key: 't' | 'o' | 'h' | 'l' | 'c' | 'v') => Float64Array.from(day, (bar) => bar[key]);
  const columns = vouch({ length: 3, t: column('t'), o: column('o'), h: column('h'), l: column('l'), c: column('c'), v: column('v') });
  const loaded = validateDayColumns('AAPL', columns, window);
  t.deepEqual(Array.from(loaded.t.subarray(0, loaded.length)), [100 * M]);
  t.is(loaded.dropped.outsideHours, 2);
});
