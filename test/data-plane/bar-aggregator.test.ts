import test from 'ava';
import { BarAggregator } from '../../data-plane/bar-aggregator.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import type { Interval } from '../../model/bar.js';

const M = 60_000;
const OPEN = 1_000 * M + 30 * M; // a :30 open, like NYSE 09:30
const window = { open: OPEN, close: OPEN + 390 * M };

/** The 1m bars an aggregator is given: it reads each from these columns, by its index. */
const minutesOf = new WeakMap<BarAggregator, BarColumns>();

function addBar(agg: BarAggregator, t: number, o: number, h: number, l: number, c: number, v: number, emit: (index: number) => void) {
  let minutes = minutesOf.get(agg);
  if (!minutes) minutesOf.set(agg, (minutes = new BarColumns(4)));
  minutes.append(t, o, h, l, c, v);
  agg.add(minutes, minutes.length - 1, emit);
}

function collect(interval: Interval, minutes: number[], flushAt: number[] = []) {
  const out: Array<{ t: number; o: number; h: number; l: number; c: number; v: number }> = [];
  const into = new BarColumns(4);
  const agg = new BarAggregator(interval, window, OPEN, into);
  // Each finished bar is the last one written, and is told as such.
  const emit = (index: number) => {
    if (index !== into.length - 1) throw new Error(`told ${index}, wrote ${into.length - 1}`);
    out.push(into.at(index));
  };
  for (const m of minutes) {
    const t = OPEN + m * M;
    addBar(agg, t, m, m + 10, m - 10, m + 1, 1, emit);
    for (const f of flushAt.filter((x) => x === m + 1)) agg.flushDue(OPEN + f * M, emit);
  }
  return { out, agg, emit };
}

test('5m buckets align to the session open and finish at their close', (t) => {
  const { out } = collect('5m', [0, 1, 2, 3, 4, 5], [5]);
  t.is(out.length, 1);
  t.deepEqual(out[0], { t: OPEN, o: 0, h: 14, l: -10, c: 5, v: 5 });
});

test('a bucket is not finished before the clock reaches its close', (t) => {
  const { out, agg, emit } = collect('5m', [0, 1]);
  agg.flushDue(OPEN + 4 * M, emit);
  t.is(out.length, 0);
  agg.flushDue(OPEN + 5 * M, emit);
  t.is(out.length, 1);
});

test('missing minutes still give the bucket at its close, from the minutes present', (t) => {
  const { out, agg, emit } = collect('15m', [3, 9]);
  agg.flushDue(OPEN + 15 * M, emit);
  t.deepEqual(out, [{ t: OPEN, o: 3, h: 19, l: -7, c: 10, v: 2 }]);
});

test('a bar in a later bucket finishes the open one first', (t) => {
  const { out } = collect('5m', [0, 7]);
  t.is(out.length, 1);
  t.is(out[0]!.t, OPEN);
});

test('the last 1h bucket is cut at the close', (t) => {
  const { out, agg, emit } = collect('1h', [360, 389]);
  t.is(agg.openBucketClose, window.close);
  agg.flushDue(window.close - 1, emit);
  t.deepEqual(out, []);
  agg.flushDue(window.close, emit);
  t.deepEqual(out.map((b) => b.t), [OPEN + 360 * M]);
});

test('an empty aggregator emits nothing', (t) => {
  const agg = new BarAggregator('30m', window, OPEN, new BarColumns(1));
  agg.flushDue(window.close, () => t.fail());
  t.false(agg.hasOpenBucket);
});

test('bars added in one go (a catch-up) split into buckets at each bucket close exactly', (t) => {
  const { out, agg, emit } = collect('5m', [0, 4, 5, 9, 10]);
  agg.flushDue(OPEN + 15 * M, emit);
  t.deepEqual(
    out.map((b) => [b.t, b.o, b.c, b.v]),
    [
      [OPEN, 0, 5, 2],
      [OPEN + 5 * M, 5, 10, 2],
      [OPEN + 10 * M, 10, 11, 1],
    ],
  );
});

test('with buckets aligned before the open, the first is cut at the open and a pre-open bar still joins it', (t) => {
  // Aligned to :00 with a :30 open: the first 1h bucket is 09:30–10:00.
  const into = new BarColumns(4);
  const agg = new BarAggregator('1h', window, OPEN - 30 * M, into);
  const emit = () => undefined;
  addBar(agg, OPEN - 5 * M, 1, 2, 0.5, 1.5, 1, emit);
  addBar(agg, OPEN, 2, 3, 1, 2.5, 1, emit);
  addBar(agg, OPEN + 29 * M, 3, 4, 2, 3.5, 1, emit);
  addBar(agg, OPEN + 30 * M, 4, 5, 3, 4.5, 1, emit);
  agg.flushDue(OPEN + 90 * M, emit);
  t.deepEqual([into.at(0), into.at(1)], [
    { t: OPEN, o: 1, h: 4, l: 0.5, c: 3.5, v: 3 },
    { t: OPEN + 30 * M, o: 4, h: 5, l: 3, c: 4.5, v: 1 },
  ]);
});
