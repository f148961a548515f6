import test from 'ava';
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Bar } from '../../model/bar.js';
import { isSessionError } from '../../model/session-error.js';
import type { PartitionFile } from '../../storage/bars/bar-partition.js';
import { LowdbBarStore } from '../../storage/bars/lowdb-bar-store.js';
import { barStoreContract } from './bar-store-contract.js';
import { filesUnder, storeOnDisk, tempDir as tempDirUnder } from './store-dirs.js';

const M = 60_000;
const MARCH = Date.UTC(2024, 2, 1);
const APRIL = Date.UTC(2024, 3, 1);
const bar = (t: number, c = 10): Bar => ({ t, o: c, h: c + 1, l: c - 1, c, v: 100 });

const tempDir = () => tempDirUnder('tapedeck-bars-');

barStoreContract('LowdbBarStore', storeOnDisk((dir) => new LowdbBarStore(dir)), { numRuns: 40 });

test('writes one columnar file per symbol, interval and UTC month', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new LowdbBarStore(dir);
  await store.putBars('BRK.B', '1m', [bar(APRIL, 3), bar(APRIL - M, 2), bar(MARCH, 1)]);
  await store.putBars('AAPL', '5m', [bar(MARCH, 4)]);
  t.deepEqual((await filesUnder(dir)).sort(), [path.join('AAPL', '5m', '2024-03.json'), path.join('BRK.B', '1m', '2024-03.json'), path.join('BRK.B', '1m', '2024-04.json')]);
  const march = JSON.parse(await readFile(path.join(dir, 'BRK.B', '1m', '2024-03.json'), 'utf8')) as PartitionFile;
  t.deepEqual(march, { version: 1, symbol: 'BRK.B', interval: '1m', t: [MARCH, APRIL - M], o: [1, 2], h: [2, 3], l: [0, 1], c: [1, 2], v: [100, 100] });
  t.deepEqual(await store.symbols(), ['AAPL', 'BRK.B']);
  t.deepEqual(await store.intervals('AAPL'), ['5m']);
  t.deepEqual(await store.months('BRK.B', '1m'), ['2024-03', '2024-04']);
  t.deepEqual(await store.months('MSFT', '1m'), []);
  t.deepEqual(await new LowdbBarStore(path.join(dir, 'nothing-here')).symbols(), []);
});

test('a query spanning many years reads only the months that exist', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new LowdbBarStore(dir);
  const times = [Date.UTC(1999, 11, 31, 23, 59), MARCH, Date.UTC(2099, 0, 1)];
  await store.putBars('AAPL', '1m', times.map((time) => bar(time)));
  t.deepEqual((await store.getBars('AAPL', '1m', 0, Date.UTC(9000, 0, 1))).map((b) => b.t), times);
  t.deepEqual((await store.getBars('AAPL', '1m', Date.UTC(2000, 0, 1), Date.UTC(2099, 0, 1))).map((b) => b.t), [MARCH]);
});

const corruptions: Array<[string, string, RegExp]> = [
  ['truncated', '{\n  "version": 1,\n  "symbol": "AAPL",\n  "interval": "1m",\n  "t": [1709251200000, 17092', /not valid JSON/],
  ['empty', '', /not valid JSON/],
  ['not an object', '[1, 2, 3]', /not hold a JSON object/],
  ['another version', JSON.stringify({ version: 2, symbol: 'AAPL', interval: '1m', t: [], o: [], h: [], l: [], c: [], v: [] }), /version 2/],
  ["another symbol's bars", JSON.stringify({ version: 1, symbol: 'MSFT', interval: '1m', t: [], o: [], h: [], l: [], c: [], v: [] }), /"MSFT" "1m" bars where AAPL 1m/],
  ['a missing column', JSON.stringify({ version: 1, symbol: 'AAPL', interval: '1m', t: [MARCH], o: [1], h: [1], l: [1], c: [1] }), /column "v" is missing/],
  ['uneven columns', JSON.stringify({ version: 1, symbol: 'AAPL', interval: '1m', t: [MARCH, MARCH + M], o: [1, 1], h: [1, 1], l: [1], c: [1, 1], v: [1, 1] }), /differ in length.*l has 1/],
  ['a non-number', JSON.stringify({ version: 1, symbol: 'AAPL', interval: '1m', t: [MARCH], o: [1], h: ['1'], l: [1], c: [1], v: [1] }), /h\[0\] is "1"/],
  ['a null (NaN written as JSON)', JSON.stringify({ version: 1, symbol: 'AAPL', interval: '1m', t: [MARCH], o: [1], h: [1], l: [1], c: [Number.NaN], v: [1] }), /c\[0\] is null/],
  ['unsorted times', JSON.stringify({ version: 1, symbol: 'AAPL', interval: '1m', t: [MARCH + M, MARCH], o: [1, 1], h: [1, 1], l: [1, 1], c: [1, 1], v: [1, 1] }), /t\[1\].*does not come after/],
  ['a time from another month', JSON.stringify({ version: 1, symbol: 'AAPL', interval: '1m', t: [APRIL], o: [1], h: [1], l: [1], c: [1], v: [1] }), /outside 2024-03/],
  ['a time no date can hold', JSON.stringify({ version: 1, symbol: 'AAPL', interval: '1m', t: [1e300], o: [1], h: [1], l: [1], c: [1], v: [1] }), /t\[0\] = 1e\+300 is outside 2024-03/],
];

for (const [label, content, why] of corruptions) {
  test(`a corrupt partition file (${label}) is CORRUPT_FILE naming the file, for reads and writes`, async (t) => {
    const dir = await tempDir();
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const store = new LowdbBarStore(dir);
    await store.putBars('AAPL', '1m', [bar(APRIL), bar(MARCH + 5 * M)]);
    const file = path.join(dir, 'AAPL', '1m', '2024-03.json');
    await writeFile(file, content);
    for (const work of [() => store.getBars('AAPL', '1m', MARCH, APRIL + M), () => store.putBars('AAPL', '1m', [bar(MARCH + 2 * M)])]) {
      const error = await t.throwsAsync(work);
      t.true(isSessionError(error, 'CORRUPT_FILE'), String(error));
      t.true(error!.message.includes(file), error!.message);
      t.regex(error!.message, why);
      t.is((error as { details?: { file?: unknown } }).details?.file, file);
    }
    t.is(await readFile(file, 'utf8'), content, 'a write never replaces a corrupt file');
    t.deepEqual((await store.getBars('AAPL', '1m', APRIL, APRIL + M)).map((b) => b.t), [APRIL], 'other months still read');
  });
}

test('a file truncated on disk after it was cached is seen as corrupt, not served from the cache', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new LowdbBarStore(dir);
  await store.putBars('AAPL', '1m', Array.from({ length: 100 }, (_, i) => bar(MARCH + i * M)));
  t.is((await store.getBars('AAPL', '1m', MARCH, APRIL)).length, 100);
  const file = path.join(dir, 'AAPL', '1m', '2024-03.json');
  await truncate(file, 200);
  const error = await t.throwsAsync(() => store.getBars('AAPL', '1m', MARCH, APRIL));
  t.true(isSessionError(error, 'CORRUPT_FILE'));
  t.true(error!.message.includes(file));
});

test("another store's writes and deletions are seen by a store that cached the partition", async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const reader = new LowdbBarStore(dir);
  const writer = new LowdbBarStore(dir);
  await writer.putBars('AAPL', '1m', [bar(MARCH, 1)]);
  t.deepEqual(await reader.getBars('AAPL', '1m', MARCH, APRIL), [bar(MARCH, 1)]);
  // Same size, written right away: only the file's identity and mtime tell the versions apart.
  await writer.putBars('AAPL', '1m', [bar(MARCH, 2)]);
  t.deepEqual(await reader.getBars('AAPL', '1m', MARCH, APRIL), [bar(MARCH, 2)]);
  await rm(path.join(dir, 'AAPL', '1m', '2024-03.json'));
  t.deepEqual(await reader.getBars('AAPL', '1m', MARCH, APRIL), []);
});

test('50 concurrent putBars on one partition lose no bar', async (t) => {
  const dir = await tempDir();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new LowdbBarStore(dir);
  // Each writer adds its own minute and rewrites a shared one; the shared minute keeps the last.
  await Promise.all(Array.from({ length: 50 }, (_, i) => store.putBars('AAPL', '1m', [bar(MARCH + (i + 1) * M, i), bar(MARCH, i)])));
  const expected = [bar(MARCH, 49), ...Array.from({ length: 50 }, (_, i) => bar(MARCH + (i + 1) * M, i))];
  t.deepEqual(await store.getBars('AAPL', '1m', MARCH, APRIL), expected);
  t.deepEqual(await new LowdbBarStore(dir).getBars('AAPL', '1m', MARCH, APRIL), expected, 'and the file on disk has them all');
});
