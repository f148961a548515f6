import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { isSessionError } from '../../model/session-error.js';
import { ArrowBarStore, type PutOptions } from '../../storage/bars/arrow-bar-store.js';
import type { StoredInterval } from '../../storage/bars/arrow-partition.js';
import { importCsvFiles, type CsvFileOutcome } from '../../storage/import/csv-batch-import.js';

const HEADER = 'timestamp,open,high,low,close,volume\n';
const ALL: [number, number] = [0, Date.UTC(2100, 0, 1)];
const T0 = Date.UTC(2024, 2, 8, 14, 30);

/** An Arrow store that counts its writes, and can be told to fail one. */
class CountingStore extends ArrowBarStore {
  writes: string[][] = [];
  failOn = -1;
  override async putManyBarColumns(interval: StoredInterval, bars: ReadonlyMap<string, BarColumnsView>, options?: PutOptions): Promise<void> {
    this.writes.push([...bars.keys()]);
    if (this.writes.length - 1 === this.failOn) throw new Error('disk full');
    return super.putManyBarColumns(interval, bars, options);
  }
}

async function setUp(t: { teardown(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-batch-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = async (name: string, text: string) => {
    await writeFile(path.join(dir, name), text);
    return path.join(dir, name);
  };
  return { dir, file };
}

test('files are written together, a later file winning a time, and each is reported once in the order read', async (t) => {
  const { dir, file } = await setUp(t);
  const a = await file('a.csv', `${HEADER}${new Date(T0).toISOString()},1,1,1,1,1\n${new Date(T0 + 60_000).toISOString()},1,1,1,1,1\n`);
  const bad = await file('bad.csv', `${HEADER}${new Date(T0).toISOString()},1,1,1,x,1\n`);
  const b = await file('b.csv', `${HEADER}${new Date(T0 + 60_000).toISOString()},2,2,2,2,2\n`);
  const c = await file('c.csv', `${HEADER}${new Date(T0).toISOString()},3,3,3,3,3\n`);
  const store = new CountingStore(path.join(dir, 'store'));
  const outcomes: CsvFileOutcome[] = [];
  await importCsvFiles([{ file: a, symbol: 'AAPL' }, { file: bad, symbol: 'AAPL' }, { file: b, symbol: 'AAPL' }, { file: c, symbol: 'MSFT' }], { store }, (outcome) => outcomes.push(outcome));
  t.deepEqual(store.writes, [['AAPL', 'MSFT']], 'one write for all files of the month');
  t.deepEqual(outcomes.map((outcome) => [path.basename(outcome.file), 'error' in outcome ? 'error' : outcome.report.imported]), [['bad.csv', 'error'], ['a.csv', 2], ['b.csv', 1], ['c.csv', 1]]);
  t.deepEqual((await store.getBars('AAPL', '1m', ...ALL)).map((bar) => bar.o), [1, 2]);
  t.deepEqual((await store.getBars('MSFT', '1m', ...ALL)).map((bar) => bar.o), [3]);
});

test('a write that fails fails every file of its batch, saying what was written; a wrong option is thrown', async (t) => {
  const { dir, file } = await setUp(t);
  const a = await file('a.csv', `${HEADER}2024-02-29T14:30:00Z,1,1,1,1,1\n2024-03-08T14:30:00Z,1,1,1,1,1\n`);
  const b = await file('b.csv', `${HEADER}2024-03-08T14:31:00Z,2,2,2,2,2\n`);
  const store = new CountingStore(path.join(dir, 'store'));
  // A corrupt segment in March's one day: February's day lands, March's cannot.
  await mkdir(path.join(dir, 'store', '1m', '2024-03-08'), { recursive: true });
  await writeFile(path.join(dir, 'store', '1m', '2024-03-08', '00000001.arrow'), 'not arrow');
  const outcomes: CsvFileOutcome[] = [];
  await importCsvFiles([{ file: a, symbol: 'AAPL' }, { file: b, symbol: 'MSFT' }], { store }, (outcome) => outcomes.push(outcome));
  t.is(outcomes.length, 2);
  for (const outcome of outcomes) {
    t.true('error' in outcome && isSessionError(outcome.error, 'IMPORT_INCOMPLETE'), String('error' in outcome && outcome.error));
    t.regex(String('error' in outcome && (outcome.error as Error).message), /Importing 2 files \(.*a\.csv, .*b\.csv\) stopped at 2024-03: Bar file .*00000001\.arrow is corrupt.* Written: 2024-02 \(1 bars\)\. Not written: 2024-03\./);
  }
  t.deepEqual((await store.getBars('AAPL', '1m', Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1))).map((bar) => bar.o), [1]);

  // A write that fails before any partition landed: the store's own error, as it is.
  store.failOn = store.writes.length;
  const c = await file('c.csv', `${HEADER}2024-04-01T14:30:00Z,3,3,3,3,3\n`);
  const failed: CsvFileOutcome[] = [];
  await importCsvFiles([{ file: c, symbol: 'AAPL' }], { store }, (outcome) => failed.push(outcome));
  t.deepEqual(failed.map((outcome) => 'error' in outcome && (outcome.error as Error).message), ['disk full']);
  await t.throwsAsync(() => importCsvFiles([{ file: a, symbol: 'AAPL' }], { store, columns: 'time,price' }, () => undefined), { message: /--columns/ });
});

test('a file of many months is one write to the Arrow store: one lock, one catalog update', async (t) => {
  const { dir, file } = await setUp(t);
  const months = ['2024-01-31', '2024-02-29', '2024-03-08', '2024-04-01'];
  const a = await file('a.csv', `${HEADER}${months.map((day, k) => `${day}T14:30:00Z,${k + 1},${k + 1},${k + 1},${k + 1},1`).join('\n')}\n`);
  const store = new CountingStore(path.join(dir, 'store'));
  const outcomes: CsvFileOutcome[] = [];
  await importCsvFiles([{ file: a, symbol: 'AAPL' }], { store }, (outcome) => outcomes.push(outcome));
  t.deepEqual(store.writes, [['AAPL']]);
  t.is(outcomes.length, 1);
  t.deepEqual((await store.getBars('AAPL', '1m', ...ALL)).map((bar) => bar.o), [1, 2, 3, 4]);
  t.deepEqual((await store.catalog()).series['AAPL']?.['1m']?.bars, 4);
});
