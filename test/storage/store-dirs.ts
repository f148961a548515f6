import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BarStore } from '../../model/bar-store.js';
import type { StoreUnderTest } from './bar-store-contract.js';

/** A new empty folder under the system's temp folder. */
export async function tempDir(prefix = 'tapedeck-bars-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** Every file below `dir`, relative to it; none when `dir` does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * A store on disk for the contract tests. Its folder does not exist yet: rejected calls must
 * not create it, and `files` shows everything a call left behind.
 */
export function storeOnDisk(create: (dir: string) => BarStore): () => Promise<StoreUnderTest> {
  return async () => {
    const root = await tempDir();
    return { store: create(path.join(root, 'store')), files: () => filesUnder(root), cleanup: () => rm(root, { recursive: true, force: true }) };
  };
}
