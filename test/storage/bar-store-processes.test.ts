import test from 'ava';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { LowdbBarStore } from '../../storage/bars/lowdb-bar-store.js';
import { StorageChild } from './child-process.js';
import { tempDir as tempDirUnder } from './store-dirs.js';
import { MAX_BARS, PARTITION_START, ROUNDS, STEP, TEST_LOCK_TIMINGS, writerBars } from './children/put-bars-round.js';
import { STAGES, type Stage } from './children/stall-at.js';

const M = 60_000;
const WRITERS = 4;

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await tempDirUnder('tapedeck-processes-');
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const exists = (file: string) => stat(file).then(() => true, () => false);
const tempsBeside = async (file: string) => (await readdir(path.dirname(file)).catch(() => [] as string[])).filter((name) => name.startsWith(`.${path.basename(file)}.`) && name.endsWith('.tmp'));

test(`${WRITERS} processes writing one partition at once lose no bar, and a reader never sees a partial file`, async (t) => {
  const dir = await tempDir(t);
  const writers = Array.from({ length: WRITERS }, (_, id) => new StorageChild('put-bars-writer.ts', ['lowdb', dir, String(id)]));
  t.teardown(() => Promise.all(writers.map((writer) => writer.kill().catch(() => undefined))));
  await Promise.all(writers.map((writer) => writer.waitForLine((line) => line === 'ready')));
  for (const writer of writers) writer.send('go');

  let finished = false;
  const allDone = Promise.all(writers.map((writer) => writer.waitForLine((line) => line === 'done'))).finally(() => (finished = true));
  // Awaited below; if a read throws first, the test fails on that and this must not be unhandled.
  allDone.catch(() => undefined);
  // Meanwhile another store reads the partition over and over: a torn file would throw CORRUPT_FILE.
  const reader = new LowdbBarStore(dir);
  let reads = 0;
  while (!finished) {
    await reader.getBars('AAPL', '1m', PARTITION_START, PARTITION_START + MAX_BARS * M);
    reads++;
    // Leave the writers the CPU between reads.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await allDone;
  for (const writer of writers) t.is((await writer.exited).code, 0, writer.stderr);

  const bars = await new LowdbBarStore(dir).getBars('AAPL', '1m', PARTITION_START, PARTITION_START + MAX_BARS * M);
  const expected = Array.from({ length: WRITERS }, (_, id) => Array.from({ length: ROUNDS }, (_, round) => writerBars(id, round)[1]!)).flat().sort((a, b) => a.t - b.t);
  t.deepEqual(bars.slice(1), expected, 'every bar of every writer is there');
  t.is(bars[0]!.t, PARTITION_START);
  t.is(bars[0]!.v, ROUNDS - 1, 'the shared minute holds the last write');
  const file = path.join(dir, 'AAPL', '1m', '2024-03.json');
  t.false(await exists(path.join(dir, 'AAPL', '1m.lock')), 'no lock left behind');
  t.deepEqual(await tempsBeside(file), [], 'no temp file left behind');
  t.log(`${reads} reads while writing`);
});

/** Fisher-Yates on a copy. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

test('a writer killed inside a write leaves the old or the new partition, and its lock is taken over', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'AAPL', '1m', '2024-03.json');
  // A write holds its series' lock, the symbol's and interval's: `AAPL/1m.lock`.
  const lock = path.join(dir, 'AAPL', '1m.lock');
  const read = async () => {
    const bars = await new LowdbBarStore(dir).getBars('AAPL', '1m', PARTITION_START, PARTITION_START + MAX_BARS * M);
    const round = bars.length === 0 ? -1 : bars[0]!.c;
    t.is(bars.length, round < 0 ? 0 : Math.min((round + 1) * STEP, MAX_BARS), `round ${round} is complete`);
    t.true(bars.every((b, i) => b.c === round && b.t === PARTITION_START + i * M), `every bar belongs to round ${round}`);
    return round;
  };
  // Each stage once, in random order, among kills at random moments.
  const plan: Array<Stage | 'anywhere'> = shuffled([...STAGES, 'anywhere', 'anywhere']);
  let lastRound = -1;
  let cutOff = 0;
  for (const stage of plan) {
    if (stage === 'anywhere') {
      const child = new StorageChild('put-bars-loop.ts', [dir]);
      t.teardown(() => child.kill().catch(() => undefined));
      const lines = 1 + Math.floor(Math.random() * 3);
      await child.waitForLine(() => child.lines.length >= lines);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      await child.kill();
      if ((await exists(lock)) || (await tempsBeside(file)).length > 0) cutOff++;
      const round = await read();
      t.true(round > lastRound, `each run continues from what the last one left (round ${round} after ${lastRound})`);
      lastRound = round;
      continue;
    }
    const stallRound = lastRound + 1 + Math.floor(Math.random() * 3);
    const child = new StorageChild('put-bars-loop.ts', [dir, String(stallRound), stage]);
    t.teardown(() => child.kill().catch(() => undefined));
    await child.waitForLine((line) => line === `stall ${stage}`);
    // The child is inside its write now: it holds the lock, and before the rename its temp file is there.
    t.true(await exists(lock), `killed at ${stage} while holding the lock`);
    t.is((await tempsBeside(file)).length, stage === 'renamed' ? 0 : 1, `one temp file of its own at ${stage}`);
    await child.kill();
    cutOff++;
    const round = await read();
    t.is(round, stage === 'renamed' ? stallRound : stallRound - 1, `killed at ${stage}: the ${stage === 'renamed' ? 'new' : 'old'} file`);
    lastRound = round;
  }
  t.true(cutOff >= STAGES.length, `${cutOff} of ${plan.length} kills cut a write off`);
  t.log(`${cutOff} of ${plan.length} kills cut a write off`);

  // The lock a dead writer left is usable again: the next write takes it over and cleans up.
  await new LowdbBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS }).putBars('AAPL', '1m', [{ t: PARTITION_START, o: 1, h: 1, l: 1, c: 1, v: 1 }]);
  t.false(await exists(lock));
  t.deepEqual(await tempsBeside(file), [], "the dead writers' temp files are gone");
});
