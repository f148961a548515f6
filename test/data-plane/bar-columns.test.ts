import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { BarColumns } from '../../data-plane/bar-columns.js';

const bar = (t: number, c = t) => ({ t, o: c, h: c + 1, l: c - 1, c, v: 1 });

test('appends past the initial capacity and keeps every bar', (t) => {
  const columns = new BarColumns(2);
  for (let i = 0; i < 100; i++) columns.append(i * 60_000, i, i + 1, i - 1, i, 10);
  t.is(columns.length, 100);
  t.deepEqual(columns.at(99), { t: 99 * 60_000, o: 99, h: 100, l: 98, c: 99, v: 10 });
  t.deepEqual(columns.slice(98).map((b) => b.t), [98 * 60_000, 99 * 60_000]);
});

test('upsert replaces the bar with the same t and appends a newer one', (t) => {
  const columns = new BarColumns();
  columns.upsert(bar(0));
  columns.upsert(bar(60_000));
  t.true(columns.upsert({ ...bar(0), c: 42 }));
  t.false(columns.upsert(bar(120_000)));
  t.is(columns.length, 3);
  t.is(columns.at(0).c, 42);
  t.throws(() => columns.upsert(bar(30_000)), { instanceOf: RangeError });
});

testProp('indexAtOrAfter finds the first bar at or after a time', [fc.uniqueArray(fc.integer({ min: 0, max: 1000 })), fc.integer({ min: -10, max: 1010 })], (t, times, probe) => {
  const sorted = [...times].sort((a, b) => a - b);
  const columns = new BarColumns(1);
  for (const time of sorted) columns.append(time, 1, 1, 1, 1, 1);
  const expected = sorted.findIndex((time) => time >= probe);
  t.is(columns.indexAtOrAfter(probe), expected === -1 ? sorted.length : expected);
});
