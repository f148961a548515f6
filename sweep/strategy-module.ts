import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { asStrategy, type Strategy } from '../run/strategy.js';

const TYPESCRIPT = /\.(ts|mts|cts)$/;

/**
 * Imports a strategy file (an absolute path): its default export (or `strategy`) made with
 * `defineStrategy`. A TypeScript file runs as it is: tsx's loader is registered first, so no
 * build step, in the main thread and in every pool thread alike.
 */
export async function importStrategyFile(file: string, source = file): Promise<Strategy> {
  if (TYPESCRIPT.test(file)) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown; strategy?: unknown };
  return asStrategy(loaded.default ?? loaded.strategy, source);
}

/** What a job names besides the path: a worker whose copy of the file differs refuses the job rather than run other code. */
export async function strategyFileHash(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 16);
}
