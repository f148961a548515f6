import test from 'ava';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ArrowBarStore } from '../../storage/arrow-bar-store.js';
import { StorageChild } from './child-process.js';
import { PARTITION_START, ROUNDS, writerBars } from './children/put-bars-round.js';

const WRITERS = 4;
const DAY_END = PARTITION_START + 86_400_000;

test(`${WRITERS} processes writing one day's partition at once lose no bar, and readers never fail meanwhile`, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-arrow-processes-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const writers = Array.from({ length: WRITERS }, (_, id) => new StorageChild('arrow-writer.ts', [dir, String(id)]));
  t.teardown(() => Promise.all(writers.map((writer) => writer.kill().catch(() => undefined))));
  await Promise.all(writers.map((writer) => writer.waitForLine((line) => line === 'ready')));
  for (const writer of writers) writer.send('go');

  let finished = false;
  const allDone = Promise.all(writers.map((writer) => writer.waitForLine((line) => line === 'done'))).finally(() => (finished = true));
  // Awaited below; if a read throws first, the test fails on that and this must not be unhandled.
  allDone.catch(() => undefined);
  // Meanwhile another store reads the day over and over: a torn segment would throw
  // CORRUPT_FILE, and a segment merged away under the reader must not surface as ENOENT.
  const reader = new ArrowBarStore(dir);
  let reads = 0;
  while (!finished) {
    await reader.getManyBarColumns(['AAPL'], '1m', PARTITION_START, DAY_END);
    reads++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await allDone;
  for (const writer of writers) t.is((await writer.exited).code, 0, writer.stderr);

  const bars = await new ArrowBarStore(dir).getBars('AAPL', '1m', PARTITION_START, DAY_END);
  const expected = Array.from({ length: WRITERS }, (_, id) => Array.from({ length: ROUNDS }, (_, round) => writerBars(id, round)[1]!)).flat().sort((a, b) => a.t - b.t);
  t.deepEqual(bars.slice(1), expected, 'every bar of every writer is there');
  t.is(bars[0]!.t, PARTITION_START);
  t.is(bars[0]!.v, ROUNDS - 1, 'the shared minute holds the last write');
  const catalog = await reader.catalog();
  t.deepEqual(catalog.series.AAPL?.['1m'], { bars: bars.length, days: 1, first: PARTITION_START, last: bars[bars.length - 1]!.t }, 'the catalog counted every bar once');
  const partition = path.join(dir, '1m', '2024-03-01');
  t.deepEqual((await readdir(partition)).filter((name) => !name.endsWith('.arrow')), [], 'no temp file left behind');
  t.false(await stat(`${partition}.lock`).then(() => true, () => false), 'no lock left behind');
  t.log(`${reads} reads while writing`);
});
