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

test('a borrowed series shows what is revealed and never writes into the columns it borrows', (t) => {
  const owner = new BarColumns(4);
  for (let i = 0; i < 4; i++) owner.append(i * 60_000, i, i + 1, i - 1, i, 10);
  const before = owner.slice(0);
  const series = BarColumns.borrow(owner.view(0, 3));
  t.true(series.isBorrowed);
  t.is(series.length, 0);
  series.reveal(2);
  t.deepEqual(series.slice(0), before.slice(0, 2));
  // The next write lands in columns of the series' own: the owner's third and fourth bars stay.
  series.append(2 * 60_000, 99, 99, 99, 99, 99);
  t.false(series.isBorrowed);
  t.deepEqual(series.slice(0), [...before.slice(0, 2), { t: 2 * 60_000, o: 99, h: 99, l: 99, c: 99, v: 99 }]);
  t.deepEqual(owner.slice(0), before);

  const replaced = BarColumns.borrow(owner);
  replaced.reveal(4);
  t.true(replaced.upsert({ ...bar(0), c: 42 }));
  t.is(replaced.at(0).c, 42);
  t.deepEqual(owner.slice(0), before);
});
