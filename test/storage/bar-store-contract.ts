import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import type { Bar, Interval } from '../../model/bar.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { isSessionError, type SessionErrorCode } from '../../model/session-error.js';
import type { BarStore } from '../../model/bar-store.js';

/** A fresh, empty store, what it has written (when it writes files), and how to dispose of it. */
export interface StoreUnderTest {
  store: BarStore;
  files?: () => Promise<string[]>;
  cleanup: () => Promise<void>;
}

const M = 60_000;
const FEB_END = Date.UTC(2024, 2, 1) - M;
const YEAR_END = Date.UTC(2025, 0, 1) - M;
/** Times a few minutes either side of month and year boundaries, so batches span partitions and collide. */
const ANCHORS = [Date.UTC(2024, 0, 31, 23, 57), Date.UTC(2024, 1, 29, 23, 56), Date.UTC(2024, 11, 31, 23, 58)];
const SERIES: Array<[string, Interval]> = [['AAPL', '1m'], ['BRK.B', '1m'], ['AAPL', '5m']];

const bar = (t: number, c = 10, v = 100): Bar => ({ t, o: c, h: c + 1, l: c - 1, c, v });
const price = fc.double({ min: 0, max: 1e6, noNaN: true });
const barArb: fc.Arbitrary<Bar> = fc
  .record({ anchor: fc.constantFrom(...ANCHORS), minute: fc.integer({ min: 0, max: 6 }), o: price, h: price, l: price, c: price, v: price })
  .map(({ anchor, minute, ...values }) => ({ t: anchor + minute * M, ...values }));
const timeArb = fc.oneof(
  fc.constantFrom(...ANCHORS).chain((anchor) => fc.integer({ min: anchor - 2 * M, max: anchor + 9 * M })),
  fc.integer({ min: 0, max: Date.UTC(2030, 0, 1) }),
);

/** The meaning of a sequence of putBars: per series, a map from t to the last bar written there. */
function model(commands: Array<{ series: number; bars: Bar[] }>): Map<number, Map<number, Bar>> {
  const byT = new Map<number, Map<number, Bar>>(SERIES.map((_, i) => [i, new Map()]));
  for (const { series, bars } of commands) for (const b of bars) byT.get(series)!.set(b.t, b);
  return byT;
}

const sorted = (bars: Iterable<Bar>) => [...bars].sort((a, b) => a.t - b.t);

async function rejectsWith(t: { true: (v: boolean, m?: string) => void }, work: () => Promise<unknown>, code: SessionErrorCode, label: string) {
  try {
    await work();
    t.true(false, `${label}: expected ${code}, but it succeeded`);
  } catch (error) {
    t.true(isSessionError(error, code), `${label}: expected ${code}, got ${String(error)}`);
  }
}

/** Registers the `BarStore` contract tests for stores made by `open`; `batchRead` for a store that answers `getManyBarColumns`. */
export function barStoreContract(name: string, open: () => Promise<StoreUnderTest>, { numRuns = 100, batchRead = false } = {}): void {
  const withStore = async (work: (subject: StoreUnderTest) => Promise<void>) => {
    const subject = await open();
    try {
      await work(subject);
    } finally {
      await subject.cleanup();
    }
  };

  test(`${name}: getBars returns [start, end) sorted, across month and year boundaries`, (t) =>
    withStore(async ({ store }) => {
      const times = [YEAR_END + M, FEB_END, FEB_END + M, YEAR_END, FEB_END - M, FEB_END + 2 * M];
      await store.putBars('AAPL', '1m', times.map((time, i) => bar(time, i)));
      const all = await store.getBars('AAPL', '1m', 0, Date.UTC(2026, 0, 1));
      t.deepEqual(all.map((b) => b.t), [...times].sort((a, b) => a - b));
      t.deepEqual(all.find((b) => b.t === YEAR_END + M), bar(YEAR_END + M, 0));
      // March alone: the last February minute stays out, the first March minute is in.
      t.deepEqual((await store.getBars('AAPL', '1m', FEB_END + M, Date.UTC(2024, 3, 1))).map((b) => b.t), [FEB_END + M, FEB_END + 2 * M]);
      // The end is exclusive.
      t.deepEqual((await store.getBars('AAPL', '1m', FEB_END - M, FEB_END + M)).map((b) => b.t), [FEB_END - M, FEB_END]);
      t.deepEqual((await store.getBars('AAPL', '1m', YEAR_END, YEAR_END + 2 * M)).map((b) => b.t), [YEAR_END, YEAR_END + M]);
      t.deepEqual(await store.getBars('AAPL', '1m', FEB_END + M, FEB_END + M), []);
      t.deepEqual(await store.getBars('AAPL', '1m', FEB_END + M, FEB_END), []);
    }));

  test(`${name}: a later bar with the same t replaces the earlier one, within a batch and across batches`, (t) =>
    withStore(async ({ store }) => {
      await store.putBars('AAPL', '1m', [bar(FEB_END, 1), bar(FEB_END + M, 2), bar(FEB_END, 3)]);
      t.deepEqual(await store.getBars('AAPL', '1m', 0, YEAR_END), [bar(FEB_END, 3), bar(FEB_END + M, 2)]);
      await store.putBars('AAPL', '1m', [bar(FEB_END + M, 4), bar(FEB_END - M, 5)]);
      t.deepEqual(await store.getBars('AAPL', '1m', 0, YEAR_END), [bar(FEB_END - M, 5), bar(FEB_END, 3), bar(FEB_END + M, 4)]);
    }));

  test(`${name}: symbols and intervals are separate series`, (t) =>
    withStore(async ({ store }) => {
      await store.putBars('AAPL', '1m', [bar(FEB_END, 1)]);
      await store.putBars('AAPL', '5m', [bar(FEB_END, 2)]);
      await store.putBars('BRK.B', '1m', [bar(FEB_END, 3)]);
      t.deepEqual((await store.getBars('AAPL', '1m', 0, YEAR_END)).map((b) => b.c), [1]);
      t.deepEqual((await store.getBars('AAPL', '5m', 0, YEAR_END)).map((b) => b.c), [2]);
      t.deepEqual((await store.getBars('BRK.B', '1m', 0, YEAR_END)).map((b) => b.c), [3]);
      t.deepEqual(await store.getBars('MSFT', '1m', 0, YEAR_END), []);
    }));

  test(`${name}: callers may mutate what they pass in and what they get back`, (t) =>
    withStore(async ({ store }) => {
      const input = [bar(FEB_END, 1)];
      await store.putBars('AAPL', '1m', input);
      input[0]!.c = 99;
      input.push(bar(FEB_END + M, 2));
      const first = await store.getBars('AAPL', '1m', 0, YEAR_END);
      first[0]!.c = 77;
      first.push(bar(FEB_END + M, 3));
      t.deepEqual(await store.getBars('AAPL', '1m', 0, YEAR_END), [bar(FEB_END, 1)]);
    }));

  test(`${name}: invalid symbols are rejected before anything is written`, (t) =>
    withStore(async ({ store, files }) => {
      for (const symbol of ['../x', 'A/B', 'a', 'ABCDEFGHIJKLMNOP', '', '..', '../../etc/passwd', 'A\\B', 'AAPL\0']) {
        await rejectsWith(t, () => store.putBars(symbol, '1m', [bar(FEB_END)]), 'INVALID_SYMBOL', `putBars ${JSON.stringify(symbol)}`);
        await rejectsWith(t, () => store.getBars(symbol, '1m', 0, YEAR_END), 'INVALID_SYMBOL', `getBars ${JSON.stringify(symbol)}`);
      }
      if (files) t.deepEqual(await files(), []);
    }));

  test(`${name}: invalid intervals, ranges and bars are rejected and change nothing`, (t) =>
    withStore(async ({ store, files }) => {
      await rejectsWith(t, () => store.putBars('AAPL', '2m' as Interval, [bar(FEB_END)]), 'INVALID_INTERVAL', 'putBars 2m');
      await rejectsWith(t, () => store.getBars('AAPL', '../1m' as Interval, 0, 1), 'INVALID_INTERVAL', 'getBars ../1m');
      for (const [start, end] of [[Number.NaN, 1], [0, Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY, 0]] as const) {
        await rejectsWith(t, () => store.getBars('AAPL', '1m', start, end), 'BAD_INPUT', `range [${start}, ${end})`);
      }
      if (files) t.deepEqual(await files(), []);
      await store.putBars('AAPL', '1m', [bar(FEB_END, 1)]);
      const bad: unknown[] = [{ ...bar(FEB_END + M), c: Number.NaN }, { ...bar(FEB_END + M), v: Number.POSITIVE_INFINITY }, { ...bar(FEB_END + M), t: FEB_END + 0.5 }, { ...bar(FEB_END), h: '11' }, null, { ...bar(FEB_END), t: -M }];
      for (const item of bad) {
        await rejectsWith(t, () => store.putBars('AAPL', '1m', [bar(FEB_END, 2), item as Bar]), 'BAD_INPUT', `bar ${JSON.stringify(item)}`);
      }
      await rejectsWith(t, () => store.putBars('AAPL', '1m', 'bars' as unknown as Bar[]), 'BAD_INPUT', 'not an array');
      t.deepEqual(await store.getBars('AAPL', '1m', 0, YEAR_END), [bar(FEB_END, 1)], 'a rejected batch writes none of its bars');
    }));

  test(`${name}: an empty batch changes nothing`, (t) =>
    withStore(async ({ store, files }) => {
      await store.putBars('AAPL', '1m', []);
      t.deepEqual(await store.getBars('AAPL', '1m', 0, YEAR_END), []);
      if (files) t.deepEqual(await files(), []);
    }));

  testProp(
    `${name}: any sequence of putBars reads back as a last-writer-wins map`,
    [fc.array(fc.record({ series: fc.nat(SERIES.length - 1), bars: fc.array(barArb, { maxLength: 15 }) }), { maxLength: 6 })],
    (t, commands) =>
      withStore(async ({ store }) => {
        for (const { series, bars } of commands) await store.putBars(...SERIES[series]!, bars);
        for (const [i, expected] of model(commands)) {
          t.deepEqual(await store.getBars(...SERIES[i]!, 0, Date.UTC(2030, 0, 1)), sorted(expected.values()), `${SERIES[i]!.join(' ')}`);
        }
      }),
    { numRuns },
  );

  testProp(
    `${name}: getBars over any window is the model's bars with start <= t < end`,
    [fc.array(barArb, { maxLength: 40 }), fc.array(fc.tuple(timeArb, timeArb), { minLength: 1, maxLength: 8 })],
    (t, bars, windows) =>
      withStore(async ({ store }) => {
        // Two batches, so merging into existing partitions is exercised too.
        await store.putBars('AAPL', '1m', bars.slice(0, bars.length >> 1));
        await store.putBars('AAPL', '1m', bars.slice(bars.length >> 1));
        const all = sorted(model([{ series: 0, bars }]).get(0)!.values());
        for (const [start, end] of windows) {
          const expected = all.filter((b) => b.t >= start && b.t < end);
          t.deepEqual(await store.getBars('AAPL', '1m', start, end), expected, `[${start}, ${end})`);
          if (store.getBarColumns) t.deepEqual(rows(await store.getBarColumns('AAPL', '1m', start, end)), expected, `columns [${start}, ${end})`);
        }
      }),
    { numRuns },
  );

  if (!batchRead) return;
  testProp(
    `${name}: a batch read of many symbols answers each symbol as it is read alone`,
    [fc.array(barArb, { maxLength: 30 }), fc.array(barArb, { maxLength: 30 }), fc.subarray(['AAPL', 'BRK.B', 'NONE']), timeArb, fc.integer({ min: -M, max: 12 * M })],
    (t, aapl, brk, symbols, start, span) =>
      withStore(async ({ store }) => {
        if (!store.getManyBarColumns || !store.getBarColumns) throw new Error(`${name} has no batch read`);
        await store.putBars('AAPL', '1m', aapl);
        await store.putBars('BRK.B', '1m', brk);
        const end = start + span;
        const batch = await store.getManyBarColumns(symbols, '1m', start, end);
        t.deepEqual([...batch.keys()], symbols);
        for (const symbol of symbols) t.deepEqual(rows(batch.get(symbol)!), rows(await store.getBarColumns(symbol, '1m', start, end)), symbol);
        await rejectsWith(t, () => Promise.resolve().then(() => store.getManyBarColumns!(['AAPL', 'not a symbol'], '1m', start, end)), 'INVALID_SYMBOL', 'a bad name in the batch');
      }),
    { numRuns },
  );
}

/** A columnar answer as bars, to compare with `getBars`. */
function rows(columns: BarColumnsView): Bar[] {
  return Array.from({ length: columns.length }, (_, i) => ({ t: columns.t[i]!, o: columns.o[i]!, h: columns.h[i]!, l: columns.l[i]!, c: columns.c[i]!, v: columns.v[i]! }));
}
