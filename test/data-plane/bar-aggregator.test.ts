import test from 'ava';
import { BarAggregator } from '../../data-plane/bar-aggregator.js';
import type { Interval } from '../../model/bar.js';

const M = 60_000;
const OPEN = 1_000 * M + 30 * M; // a :30 open, like NYSE 09:30
const window = { open: OPEN, close: OPEN + 390 * M };

function collect(interval: Interval, minutes: number[], flushAt: number[] = []) {
  const out: Array<{ t: number; o: number; h: number; l: number; c: number; v: number; close: number }> = [];
  const agg = new BarAggregator(interval, window, OPEN);
  const emit = (_: Interval, t: number, o: number, h: number, l: number, c: number, v: number, close: number) => out.push({ t, o, h, l, c, v, close });
  for (const m of minutes) {
    const t = OPEN + m * M;
    agg.add(t, m, m + 10, m - 10, m + 1, 1, emit);
    for (const f of flushAt.filter((x) => x === m + 1)) agg.flushDue(OPEN + f * M, emit);
  }
  return { out, agg, emit };
}

test('5m buckets align to the session open and finish at their close', (t) => {
  const { out } = collect('5m', [0, 1, 2, 3, 4, 5], [5]);
  t.is(out.length, 1);
  t.deepEqual(out[0], { t: OPEN, o: 0, h: 14, l: -10, c: 5, v: 5, close: OPEN + 5 * M });
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
  t.deepEqual(out, [{ t: OPEN, o: 3, h: 19, l: -7, c: 10, v: 2, close: OPEN + 15 * M }]);
});

test('a bar in a later bucket finishes the open one first', (t) => {
  const { out } = collect('5m', [0, 7]);
  t.is(out.length, 1);
  t.is(out[0]!.t, OPEN);
});

test('the last 1h bucket is cut at the close', (t) => {
  const { out, agg, emit } = collect('1h', [360, 389]);
  agg.flushDue(window.close, emit);
  t.deepEqual(out.map((b) => [b.t, b.close]), [[OPEN + 360 * M, window.close]]);
});

test('an empty aggregator emits nothing', (t) => {
  const agg = new BarAggregator('30m', window, OPEN);
  agg.flushDue(window.close, () => t.fail());
  t.false(agg.hasOpenBucket);
});
