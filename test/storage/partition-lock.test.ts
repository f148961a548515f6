import test from 'ava';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isSessionError } from '../../model/session-error.js';
import { withWriteLock, writeFileAtomic } from '../../storage/bars/partition-lock.js';

const TIMINGS = { staleMs: 2_000, updateMs: 200, waitMs: 300 };

async function partition(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-lock-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, '2024-03.json');
  await writeFile(file, 'old');
  return file;
}

test('a lock another writer holds is STORE_BUSY after the wait, naming the file and the lock', async (t) => {
  const file = await partition(t);
  // A lock whose heartbeat is fresh: a live writer's.
  await mkdir(`${file}.lock`);
  let ran = false;
  const error = await t.throwsAsync(() => withWriteLock(file, async () => void (ran = true), { ...TIMINGS, staleMs: 60_000 }));
  t.true(isSessionError(error, 'STORE_BUSY'), String(error));
  t.true(error!.message.includes(file) && error!.message.includes(`${file}.lock`), error!.message);
  t.false(ran);
});

test("a dead writer's lock (no heartbeat for staleMs) is taken over at once, and released after", async (t) => {
  const file = await partition(t);
  await mkdir(`${file}.lock`);
  const past = new Date(Date.now() - 60_000);
  await utimes(`${file}.lock`, past, past);
  await withWriteLock(file, (lock) => writeFileAtomic(file, 'new', lock), TIMINGS);
  t.is(await readFile(file, 'utf8'), 'new');
  t.deepEqual(await readdir(path.dirname(file)), ['2024-03.json']);
});

test('a writer whose lock was taken over gets LOCK_LOST and does not replace the file', async (t) => {
  const file = await partition(t);
  const error = await t.throwsAsync(() =>
    withWriteLock(
      file,
      async (lock) => {
        // Another process removing the lock as stale: the holder's heartbeat finds it gone.
        await rm(`${file}.lock`, { recursive: true });
        // Bounded (20 s): if the loss were never noticed, the write below would go through and fail the test.
        for (let held = true, polls = 0; held && polls < 400; polls++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          try {
            lock.assertHeld();
          } catch {
            held = false;
          }
        }
        await writeFileAtomic(file, 'new', lock);
      },
      TIMINGS,
    ),
  );
  t.true(isSessionError(error, 'LOCK_LOST'), String(error));
  t.true(error!.message.includes(file));
  t.is(await readFile(file, 'utf8'), 'old');
  t.deepEqual(await readdir(path.dirname(file)), ['2024-03.json'], 'no temp file left');
});

test('concurrent atomic writes of one file each use their own temp file: the file is always one of them', async (t) => {
  const file = await partition(t);
  const texts = Array.from({ length: 20 }, (_, i) => `text ${i} `.repeat(10_000));
  await Promise.all(texts.map((text) => writeFileAtomic(file, text)));
  t.true(texts.includes(await readFile(file, 'utf8')));
  t.deepEqual(await readdir(path.dirname(file)), ['2024-03.json']);
});
