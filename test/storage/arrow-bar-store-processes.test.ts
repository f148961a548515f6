import test from 'ava';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { StorageChild } from './child-process.js';
import { tempDir } from './store-dirs.js';
import { DAY_END, DAY_STEP, overlapBars, overlapDays, PARTITION_START, ROUNDS, TEST_LOCK_TIMINGS, writerBars } from './children/put-bars-round.js';
import { STAGES, type Stage } from './children/stall-at.js';

const WRITERS = 4;

test(`${WRITERS} processes writing one day's partition at once lose no bar, and readers never fail meanwhile`, async (t) => {
  const dir = await tempDir('tapedeck-arrow-processes-');
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const writers = Array.from({ length: WRITERS }, (_, id) => new StorageChild('put-bars-writer.ts', ['arrow', dir, String(id)]));
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
  t.false(await stat(path.join(dir, '1m.lock')).then(() => true, () => false), 'no lock left behind');
  t.log(`${reads} reads while writing`);
});

const exists = (file: string) => stat(file).then(() => true, () => false);

test('a writer killed anywhere in a write leaves the old or the new day, a rebuilt catalog that matches, and a lock the next writer takes over', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-arrow-kill-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const partition = path.join(dir, '1m', '2024-03-01');
  // Every write of an interval holds one lock, the interval's: `<dir>/1m.lock`.
  const lock = path.join(dir, '1m.lock');
  const read = async () => {
    const bars = await new ArrowBarStore(dir).getBars('AAPL', '1m', PARTITION_START, DAY_END);
    const round = bars.length === 0 ? -1 : bars[0]!.c;
    t.is(bars.length, round < 0 ? 0 : Math.min((round + 1) * DAY_STEP, 1440), `round ${round} is complete`);
    t.true(bars.every((b, i) => b.c === round && b.t === PARTITION_START + i * 60_000), `every bar belongs to round ${round}`);
    return round;
  };
  // Each stage once, then kills at random moments.
  const plan: Array<Stage | 'anywhere'> = [...STAGES, 'anywhere', 'anywhere', 'anywhere'];
  let lastRound = -1;
  for (const stage of plan) {
    if (stage === 'anywhere') {
      const child = new StorageChild('arrow-write-loop.ts', [dir]);
      t.teardown(() => child.kill().catch(() => undefined));
      await child.waitForLine(() => child.lines.length >= 1 + Math.floor(Math.random() * 3));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      await child.kill();
      const acknowledged = Number(child.lines[child.lines.length - 1]);
      const round = await read();
      t.true(round >= acknowledged, `every acknowledged write is there (round ${round}, acknowledged ${acknowledged})`);
      lastRound = round;
      continue;
    }
    const stallRound = lastRound + 1 + Math.floor(Math.random() * 3);
    const child = new StorageChild('arrow-write-loop.ts', [dir, String(stallRound), stage]);
    t.teardown(() => child.kill().catch(() => undefined));
    await child.waitForLine((line) => line === `stall ${stage}`);
    t.true(await exists(lock), `killed at ${stage} while holding the lock`);
    await child.kill();
    const round = await read();
    // The segment is the first file a write renames: before it, the old day; after it, the new one (the catalog lags until rebuilt).
    t.is(round, stage === 'renamed' ? stallRound : stallRound - 1, `killed at ${stage}: the ${stage === 'renamed' ? 'new' : 'old'} day`);
    lastRound = round;
  }

  // The lock a dead writer left is usable again: the next write takes it over and cleans up.
  const store = new ArrowBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS });
  await store.putBars('AAPL', '1m', [{ t: PARTITION_START, o: 1, h: 1, l: 1, c: lastRound, v: 1 }]);
  t.false(await exists(lock));
  t.deepEqual((await readdir(partition)).filter((name) => !name.endsWith('.arrow')), [], "the dead writers' temp files are gone");
  const bars = await store.getBars('AAPL', '1m', PARTITION_START, DAY_END);
  await store.rebuildCatalog();
  t.deepEqual((await store.catalog()).series.AAPL?.['1m'], { bars: bars.length, days: 1, first: PARTITION_START, last: bars[bars.length - 1]!.t });
});

test('two processes writing overlapping sets of days of one series at once lose no bar', async (t) => {
  const dir = await tempDir('tapedeck-arrow-overlap-');
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const writers = [0, 1].map((id) => new StorageChild('overlap-writer.ts', [dir, String(id)]));
  t.teardown(() => Promise.all(writers.map((writer) => writer.kill().catch(() => undefined))));
  await Promise.all(writers.map((writer) => writer.waitForLine((line) => line === 'ready')));
  for (const writer of writers) writer.send('go');
  await Promise.all(writers.map((writer) => writer.waitForLine((line) => line === 'done')));
  for (const writer of writers) t.is((await writer.exited).code, 0, writer.stderr);

  const expected = [0, 1]
    .flatMap((id) => Array.from({ length: ROUNDS }, (_, round) => overlapBars(id, round)).flat())
    .sort((a, b) => a.t - b.t);
  const days = new Set([...overlapDays(0), ...overlapDays(1)]);
  const end = PARTITION_START + (Math.max(...days) + 1) * 86_400_000;
  const store = new ArrowBarStore(dir);
  t.deepEqual(await store.getBars('AAPL', '1m', PARTITION_START, end), expected, 'every bar of both writers is there, in shared days and in days of one');
  t.deepEqual((await store.catalog()).series.AAPL?.['1m'], { bars: expected.length, days: days.size, first: expected[0]!.t, last: expected[expected.length - 1]!.t });
  t.false(await exists(path.join(dir, '1m.lock')), 'no lock left behind');
});
