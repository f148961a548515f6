import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { Bar } from '../../model/bar.js';
import type { DropCounts } from '../../model/counts.js';
import { isVouched } from '../../data-plane/bar-rules.js';
import { validateDayColumns } from '../../data-plane/day-bars.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { isSessionError } from '../../model/session-error.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { barStoreContract } from './bar-store-contract.js';
import { filesUnder, storeOnDisk, tempDir as tempDirUnder } from './store-dirs.js';

const M = 60_000;
const DAY = Date.UTC(2024, 2, 8);
const OPEN = DAY + (14 * 60 + 30) * M;
const bar = (t: number, c = 10): Bar => ({ t, o: c, h: c + 1, l: c - 1, c, v: 100 });
const rows = (columns: BarColumnsView): Bar[] => Array.from({ length: columns.length }, (_, i) => ({ t: columns.t[i]!, o: columns.o[i]!, h: columns.h[i]!, l: columns.l[i]!, c: columns.c[i]!, v: columns.v[i]! }));

const tempDir = () => tempDirUnder('tapedeck-arrow-');

barStoreContract('ArrowBarStore', storeOnDisk((dir) => new ArrowBarStore(dir)), { numRuns: 40, batchRead: true });

test('a day of all symbols is one folder of Arrow files that pyarrow-style readers see as plain columns', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  await store.putManyBars('1m', new Map([['MSFT', [bar(OPEN, 2), bar(OPEN + M, 3)]], ['AAPL', [bar(OPEN, 1)]]]));
  await store.putBars('AAPL', '1d', [bar(DAY, 4)]);
  t.deepEqual((await filesUnder(dir)).sort(), ['1d/2024/00000001.arrow', '1m/2024-03-08/00000001.arrow', 'catalog.json']);
  const table = tableFromIPC(await readFile(path.join(dir, '1m', '2024-03-08', '00000001.arrow')));
  t.deepEqual(table.schema.fields.map((field) => `${field.name}: ${String(field.type)}`), ['symbol: Dictionary<Int32, Utf8>', 't: Timestamp<MILLISECOND, UTC>', 'o: Float64', 'h: Float64', 'l: Float64', 'c: Float64', 'v: Float64']);
  t.deepEqual(table.toArray().map((row) => [row.symbol, Number(row.t), row.c]), [['AAPL', OPEN, 1], ['MSFT', OPEN, 2], ['MSFT', OPEN + M, 3]]);
});

test('small writes into one day keep few segments, and later writes win across segments', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  const symbols = Array.from({ length: 40 }, (_, i) => `S${i}`);
  for (const [i, symbol] of symbols.entries()) await store.putBars(symbol, '1m', [bar(OPEN, i), bar(OPEN + i * M, i)]);
  // Every symbol rewrites the first minute of S0 in turn; the last write must be what is read.
  for (const [i] of symbols.entries()) await store.putBars('S0', '1m', [bar(OPEN, 100 + i)]);
  const segments = (await readdir(path.join(dir, '1m', '2024-03-08'))).filter((name) => name.endsWith('.arrow'));
  t.true(segments.length <= 8, `${segments.length} segments after 80 writes`);
  t.deepEqual(await store.getBars('S0', '1m', DAY, DAY + 86_400_000), [bar(OPEN, 139)]);
  t.deepEqual(await store.getBars('S7', '1m', DAY, DAY + 86_400_000), [bar(OPEN, 7), bar(OPEN + 7 * M, 7)]);
});

test("a day whose symbols each lie in one segment is read without copying their prices: reads share the file's columns", async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const writer = new ArrowBarStore(dir);
  await writer.putManyBars('1m', new Map([['AAPL', [bar(OPEN, 1), bar(OPEN + M, 2)]], ['MSFT', [bar(OPEN, 3), bar(OPEN + M, 4), bar(OPEN + 2 * M, 5)]]]));
  // A later write of one bar of MSFT makes a second segment: MSFT's bars are merged, AAPL's still one run.
  await writer.putBars('MSFT', '1m', [bar(OPEN + M, 40)]);
  const store = new ArrowBarStore(dir);
  const first = await store.getManyBarColumns(['AAPL', 'MSFT'], '1m', OPEN, OPEN + 390 * M);
  const second = await store.getManyBarColumns(['AAPL', 'MSFT'], '1m', OPEN + M, OPEN + 390 * M);
  t.deepEqual(rows(first.get('AAPL')!), [bar(OPEN, 1), bar(OPEN + M, 2)]);
  t.deepEqual(rows(first.get('MSFT')!), [bar(OPEN, 3), bar(OPEN + M, 40), bar(OPEN + 2 * M, 5)]);
  t.deepEqual(rows(second.get('AAPL')!), [bar(OPEN + M, 2)]);
  t.is(first.get('AAPL')!.c.buffer, second.get('AAPL')!.c.buffer, "both reads view the cached file's close column");
  t.not(first.get('MSFT')!.c.buffer, second.get('MSFT')!.c.buffer, 'bars merged from two segments are a copy of their own');
});

const SYMBOLS = ['AAPL', 'BRK.B', 'MSFT', 'T'];
const DAYS = [Date.UTC(2024, 2, 7), DAY, Date.UTC(2024, 2, 9)];
const writeArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  bars: fc.array(
    fc.record({ day: fc.constantFrom(...DAYS), minute: fc.integer({ min: 0, max: 1439 }), c: fc.integer({ min: 1, max: 1000 }) }).map(({ day, minute, c }) => bar(day + minute * M, c)),
    { maxLength: 30 },
  ),
});

testProp(
  'a batch read of many symbols equals reading each symbol on its own, and the last-writer-wins model, over any window',
  [fc.array(writeArb, { maxLength: 10 }), fc.subarray([...SYMBOLS, 'NONE']), fc.integer({ min: DAYS[0]! - 2 * M, max: DAYS[2]! + 1440 * M }), fc.integer({ min: 0, max: 3 * 1440 * M })],
  async (t, writes, symbols, start, span) => {
    const dir = await tempDir();
    try {
      const store = new ArrowBarStore(dir);
      for (const { symbol, bars } of writes) await store.putBars(symbol, '1m', bars);
      const batch = await store.getManyBarColumns(symbols, '1m', start, start + span);
      t.deepEqual([...batch.keys()], symbols);
      const model = new Map<string, Map<number, Bar>>();
      for (const { symbol, bars } of writes) for (const b of bars) (model.get(symbol) ?? model.set(symbol, new Map()).get(symbol)!).set(b.t, b);
      for (const symbol of symbols) {
        const expected = [...(model.get(symbol)?.values() ?? [])].filter((b) => b.t >= start && b.t < start + span).sort((a, b) => a.t - b.t);
        t.deepEqual(rows(batch.get(symbol)!), expected, `${symbol}, batch`);
        t.deepEqual(await new ArrowBarStore(dir).getBars(symbol, '1m', start, start + span), expected, `${symbol}, on its own`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  { numRuns: 40 },
);

const columnsOf = (bars: readonly Bar[]): BarColumnsView => {
  const column = (field: keyof Bar) => Float64Array.from(bars, (b) => b[field]);
  return { length: bars.length, t: column('t'), o: column('o'), h: column('h'), l: column('l'), c: column('c'), v: column('v') };
};

testProp(
  'putManyBarColumns stores what putManyBars stores, for unsorted batches with repeated times too, catalog included',
  [fc.array(fc.array(writeArb, { maxLength: 3 }), { maxLength: 5 })],
  async (t, batches) => {
    const dir = await tempDir();
    try {
      const byObjects = new ArrowBarStore(path.join(dir, 'objects'));
      const byColumns = new ArrowBarStore(path.join(dir, 'columns'));
      for (const batch of batches) {
        const symbols = new Map(batch.map(({ symbol, bars }) => [symbol, bars]));
        await byObjects.putManyBars('1m', symbols);
        await byColumns.putManyBarColumns('1m', new Map([...symbols].map(([symbol, bars]) => [symbol, columnsOf(bars)])));
      }
      const window: [number, number] = [DAYS[0]!, DAYS[2]! + 1440 * M];
      const expected = await byObjects.getManyBarColumns(SYMBOLS, '1m', ...window);
      const actual = await byColumns.getManyBarColumns(SYMBOLS, '1m', ...window);
      for (const symbol of SYMBOLS) t.deepEqual(rows(actual.get(symbol)!), rows(expected.get(symbol)!), symbol);
      t.deepEqual(await byColumns.catalog(), await byObjects.catalog());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  { numRuns: 30 },
);

test('putManyBarColumns checks every bar before writing any', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  const good = columnsOf([bar(OPEN), bar(OPEN + M)]);
  const bad = columnsOf([bar(OPEN), { ...bar(OPEN + M), h: Number.NaN }]);
  const error = await t.throwsAsync(store.putManyBarColumns('1m', new Map([['AAPL', good], ['MSFT', bad]])));
  t.true(isSessionError(error, 'BAD_INPUT'));
  t.regex(error!.message, /bar 1 has h=NaN/);
  t.deepEqual(await store.getBars('AAPL', '1m', OPEN, OPEN + 2 * M), []);
});

test('putManyBarColumns names the first bad bar, whichever column is bad in it', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  const bars = [bar(OPEN), { ...bar(OPEN + M), v: Number.POSITIVE_INFINITY }, { ...bar(OPEN + 2 * M), t: OPEN + 2 * M + 0.5 }, { ...bar(OPEN + 3 * M), o: Number.NaN }];
  const error = await t.throwsAsync(store.putManyBarColumns('1m', new Map([['AAPL', columnsOf(bars)]])));
  t.true(isSessionError(error, 'BAD_INPUT'));
  t.regex(error!.message, /bar 1 has v=Infinity/);
});

testProp(
  'the catalog kept by writes equals one rebuilt from the files',
  [fc.array(writeArb, { maxLength: 10 })],
  async (t, writes) => {
    const dir = await tempDir();
    try {
      const store = new ArrowBarStore(dir);
      for (const [i, { symbol, bars }] of writes.entries()) await store.putBars(symbol, i % 3 === 0 ? '5m' : '1m', bars);
      const kept = await store.catalog();
      const expectedBars = new Map<string, number>();
      for (const [i, { symbol, bars }] of writes.entries()) for (const b of bars) expectedBars.set(`${symbol} ${i % 3 === 0 ? '5m' : '1m'} ${b.t}`, 1);
      const counted = Object.values(kept.series).flatMap((byInterval) => Object.values(byInterval)).reduce((sum, summary) => sum + summary!.bars, 0);
      t.is(counted, expectedBars.size);
      await rm(path.join(dir, 'catalog.json'), { force: true });
      const rebuilt = await store.rebuildCatalog();
      t.deepEqual(rebuilt.corrupt, []);
      t.deepEqual(await store.catalog(), kept);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  { numRuns: 30 },
);

test('the catalog says which symbols, intervals and days the store holds', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  await store.putBars('AAPL', '1m', [bar(OPEN), bar(OPEN + M), bar(OPEN + 86_400_000)]);
  await store.putBars('AAPL', '1m', [bar(OPEN + M, 5), bar(OPEN + 2 * M)]);
  await store.putBars('MSFT', '1d', [bar(DAY), bar(DAY + 86_400_000)]);
  t.deepEqual(await store.catalog(), {
    version: 1,
    series: {
      AAPL: { '1m': { bars: 4, days: 2, first: OPEN, last: OPEN + 86_400_000 } },
      MSFT: { '1d': { bars: 2, days: 2, first: DAY, last: DAY + 86_400_000 } },
    },
    partitions: {
      '1m': { '2024-03-08': { symbols: 1, bars: 3 }, '2024-03-09': { symbols: 1, bars: 1 } },
      '1d': { '2024': { symbols: 1, bars: 2 } },
    },
  });
});

const corruptions: Array<[string, (file: string) => Promise<void>, RegExp]> = [
  ['a truncated', (file) => truncate(file, 100), /not an Arrow IPC file/],
  ['an empty', (file) => writeFile(file, ''), /not an Arrow IPC file/],
  ['a JSON (not Arrow)', (file) => writeFile(file, '{"t": []}'), /not an Arrow IPC file/],
];

for (const [label, damage, why] of corruptions) {
  test(`${label} segment is CORRUPT_FILE naming it, never replaced, and other days still read`, async (t) => {
    const dir = await tempDir();
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const store = new ArrowBarStore(dir);
    const NEXT = OPEN + 86_400_000;
    await store.putManyBars('1m', new Map([['AAPL', [bar(OPEN), bar(NEXT)]], ['MSFT', [bar(OPEN)]]]));
    const file = path.join(dir, '1m', '2024-03-08', '00000001.arrow');
    await damage(file);
    const content = await readFile(file);
    for (const work of [() => store.getBars('AAPL', '1m', OPEN, NEXT + M), () => store.getManyBarColumns(['AAPL', 'MSFT'], '1m', OPEN, OPEN + M), () => store.putBars('MSFT', '1m', [bar(OPEN + M)])]) {
      const error = await t.throwsAsync(work);
      t.true(isSessionError(error, 'CORRUPT_FILE'), String(error));
      t.true(error!.message.includes(file), error!.message);
      t.regex(error!.message, why);
      t.is((error as { details?: { file?: unknown } }).details?.file, file);
    }
    t.deepEqual(await readFile(file), content, 'a write never replaces a corrupt file');
    t.deepEqual((await store.getBars('AAPL', '1m', NEXT, NEXT + M)).map((b) => b.t), [NEXT], 'other days still read');
    const rebuilt = await store.rebuildCatalog();
    t.deepEqual(rebuilt.corrupt.map((entry) => entry.file), [file]);
    t.deepEqual(rebuilt.catalog.series, { AAPL: { '1m': { bars: 1, days: 1, first: NEXT, last: NEXT } } });
  });
}

test('a segment holding bars of another day is CORRUPT_FILE', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  await store.putBars('AAPL', '1m', [bar(OPEN)]);
  await store.putBars('AAPL', '1m', [bar(OPEN + 86_400_000)]);
  const moved = path.join(dir, '1m', '2024-03-08', '00000009.arrow');
  await writeFile(moved, await readFile(path.join(dir, '1m', '2024-03-09', '00000001.arrow')));
  const error = await t.throwsAsync(() => store.getBars('AAPL', '1m', DAY, DAY + 86_400_000));
  t.true(isSessionError(error, 'CORRUPT_FILE'), String(error));
  t.regex(error!.message, /outside the partition/);
  t.true(error!.message.includes(moved));
});

test('a corrupt catalog is CORRUPT_FILE, and a rebuild restores it from the bar files', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  await store.putBars('AAPL', '1m', [bar(OPEN)]);
  const before = await store.catalog();
  await writeFile(path.join(dir, 'catalog.json'), '{"version": 1, "seri');
  const error = await t.throwsAsync(() => store.catalog());
  t.true(isSessionError(error, 'CORRUPT_FILE'), String(error));
  t.regex(error!.message, /rebuild/);
  await store.rebuildCatalog();
  t.deepEqual(await store.catalog(), before);
});

test("the next write removes a killed writer's temp files beside the catalog and the segments", async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new ArrowBarStore(dir);
  await store.putBars('AAPL', '1m', [bar(OPEN)]);
  // What a writer killed before its renames leaves: temp files named after the files it was writing.
  const leftovers = [path.join(dir, '.catalog.json.999999.0a1b2c.tmp'), path.join(dir, '1m', '2024-03-08', '.00000002.arrow.999999.0a1b2c.tmp')];
  for (const file of leftovers) await writeFile(file, 'partial');
  await store.putBars('AAPL', '1m', [bar(OPEN + M)]);
  t.deepEqual((await filesUnder(dir)).sort(), ['1m/2024-03-08/00000002.arrow', 'catalog.json']);
  t.deepEqual((await store.getBars('AAPL', '1m', DAY, DAY + 86_400_000)).map((b) => b.t), [OPEN, OPEN + M]);
});

test('reads of segments whose every row passes the bar rules are vouched for; one bad bar written ends that, judged again from the file', async (t) => {
  const window = { open: OPEN, close: OPEN + 390 * M };
  const bad: Array<[keyof DropCounts, Bar]> = [
    ['highBelowLow', { t: OPEN + 5 * M, o: 10, h: 9, l: 11, c: 10, v: 100 }],
    ['negative', { t: OPEN + 5 * M, o: 10, h: 11, l: 9, c: 10, v: -1 }],
    ['misaligned', { t: OPEN + 5 * M + 30_000, o: 10, h: 11, l: 9, c: 10, v: 100 }],
  ];
  for (const [reason, badBar] of bad) {
    const dir = await tempDir();
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const store = new ArrowBarStore(dir);
    await store.putManyBars('1m', new Map([['AAPL', [bar(OPEN), bar(OPEN + M)]], ['MSFT', [bar(OPEN)]]]));
    await store.putBars('AAPL', '1m', [bar(OPEN + 2 * M)]);
    const clean = (await store.getManyBarColumns(['AAPL', 'MSFT'], '1m', window.open, window.close)).get('AAPL')!;
    t.true(isVouched(clean), `${reason}: clean segments are vouched for`);
    t.is(clean.length, 3);
    await store.putBars('AAPL', '1m', [badBar]);
    for (const reader of [store, new ArrowBarStore(dir)]) {
      const columns = (await reader.getManyBarColumns(['AAPL'], '1m', window.open, window.close)).get('AAPL')!;
      t.false(isVouched(columns), `${reason}: a read holding the bad bar is not vouched for`);
      const day = validateDayColumns('AAPL', columns, window);
      t.is(day.dropped[reason], 1, `${reason}: the load judges it and drops it`);
      t.is(day.length, 3);
    }
  }
});
