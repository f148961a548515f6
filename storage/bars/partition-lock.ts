import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { SessionError } from '../../model/session-error.js';

/**
 * How long a lock may go without a heartbeat before another process takes it over, how often
 * the holder beats, and how long a writer waits for a lock before giving up.
 */
export interface LockTimings {
  /** A lock whose heartbeat is older than this is a dead holder's (`kill -9`): it is removed. proper-lockfile's floor is 2 000. */
  staleMs: number;
  /** The holder touches its lock this often; a holder that misses `staleMs` of beats loses the lock. */
  updateMs: number;
  /** Waiting longer than this for a lock is `STORE_BUSY`. Must exceed `staleMs`, or a dead holder's lock is never recovered. */
  waitMs: number;
}

/**
 * A write holds its lock for well under a second (a month of 1m bars with extended hours is
 * about 1 MB), and the holder's heartbeat is a timer: it only misses when the event loop is
 * blocked. 10 s of missed beats is far beyond any write here, even on a starved machine, and
 * is also how long a `kill -9` can keep the next writer waiting. Beats every 2 s leave 8 s of
 * slack before the holder's own check calls its lock lost.
 */
export const DEFAULT_LOCK_TIMINGS: LockTimings = { staleMs: 10_000, updateMs: 2_000, waitMs: 30_000 };

/** What a writer holding the lock checks right before it makes its write visible. */
export interface HeldLock {
  /** Throws `LOCK_LOST` when another process has taken the lock over: writing now could undo its write. */
  assertHeld(): void;
}

/**
 * Runs `work` holding the inter-process lock of `file` (the directory `<file>.lock`, made by
 * proper-lockfile), so a read-merge-write of the file, or of every file under the folder
 * `file` when that is what each writer locks, by any process on this machine or a shared file
 * system sees every earlier one. The file's folder must exist. A lock left by a
 * killed process is taken over once its heartbeat is `staleMs` old.
 */
export async function withWriteLock<T>(file: string, work: (lock: HeldLock) => Promise<T>, timings: LockTimings = DEFAULT_LOCK_TIMINGS): Promise<T> {
  let lost: Error | undefined;
  const release = await acquire(file, timings, (error) => {
    lost = error;
  });
  const held: HeldLock = {
    assertHeld() {
      if (lost) {
        throw new SessionError(
          'LOCK_LOST',
          `The write lock on ${file} was taken over by another process (${lost.message}) before the write finished; this write was not made. The machine may be overloaded: try again.`,
          { file },
          { cause: lost },
        );
      }
    },
  };
  try {
    return await work(held);
  } finally {
    // A lost lock is no longer ours to remove: it may be another writer's by now.
    if (!lost) await release().catch(() => undefined);
  }
}

async function acquire(file: string, timings: LockTimings, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  const deadline = Date.now() + timings.waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await lockfile.lock(file, { realpath: false, stale: timings.staleMs, update: timings.updateMs, retries: 0, onCompromised });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() >= deadline) {
        throw new SessionError(
          'STORE_BUSY',
          `Another process has held the write lock on ${file} for over ${timings.waitMs / 1000} s. Wait for it to finish and try again; if no tapedeck process is writing there, remove the folder ${file}.lock.`,
          { file },
        );
      }
      // Randomized backoff so that writers queued on one lock do not retry in step.
      await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** attempt, 200) * (0.5 + Math.random())));
    }
  }
}

/** `.<name>.<pid>.<random>.tmp` beside the file: no two writers, in one process or many, share one. */
function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `data` (text or bytes) to `file` so that a reader sees the old file or the new one, never a part:
 * a temp file of its own, flushed to disk, then renamed over `file`. With `lock`, the rename
 * only happens while the lock is still held.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, lock?: HeldLock): Promise<void> {
  const temp = tempNameFor(file);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    lock?.assertHeld();
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Removes the temp files a killed writer left beside `file`. Only call it when no other writer
 * of `file` can be running (holding its lock): any temp file found then belongs to a dead one.
 * `listed`: the names in `file`'s folder, when the caller has just listed it under that lock.
 */
export async function removeOrphanTemps(file: string, listed?: readonly string[]): Promise<void> {
  const prefix = `.${path.basename(file)}.`;
  const dir = path.dirname(file);
  const entries = listed ?? (await readdir(dir).catch(() => [] as string[]));
  await Promise.all(entries.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')).map((name) => rm(path.join(dir, name), { force: true })));
}
