import { createHash, randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { RunError } from '../run/run-error.js';
import { asStrategy, type Strategy } from '../run/strategy.js';

const TYPESCRIPT = /\.(ts|mts|cts)$/;
/**
 * tapedeck itself runs from its TypeScript sources (its tests, `npm start`, the bench): then a
 * strategy's `import 'tapedeck'` is TypeScript too, and only a loader hook can import it.
 */
const FROM_SOURCES = import.meta.url.endsWith('.ts');

/**
 * Imports a strategy file (an absolute path): its default export (or `strategy`) made with
 * `defineStrategy`. A TypeScript file runs as it is, with no build step, in the main thread and
 * in every pool thread alike: compiled (`importCompiled`), or through tsx's loader when tapedeck
 * runs from its sources (tsx's `--import` does not reach worker threads, so each registers it).
 */
export async function importStrategyFile(file: string, source = file): Promise<Strategy> {
  let loaded: { default?: unknown; strategy?: unknown };
  if (!TYPESCRIPT.test(file)) loaded = await import(pathToFileURL(file).href);
  else if (FROM_SOURCES) {
    const { register } = await import('tsx/esm/api');
    register();
    loaded = await import(pathToFileURL(file).href);
  } else loaded = (await importCompiled(file, source)) as typeof loaded;
  return asStrategy(loaded.default ?? loaded.strategy, source);
}

/**
 * Compiles a TypeScript strategy with esbuild — the file and the local files it imports, in one
 * module; packages stay imports — writes it next to the source, imports it and deletes it. Next
 * to the source, so that its imports resolve exactly as the source's would (its `node_modules`,
 * its package's own name, `import.meta.url`): the way Vite loads a `vite.config.ts`. A loader
 * hook for TypeScript (tsx's) would do the same, but hooks run on a thread of their own and every
 * later import of the process goes through them: ~0.5 s of CPU a command.
 */
export async function importCompiled(file: string, source = file): Promise<unknown> {
  const { build } = await import('esbuild');
  const compiled = await build({ entryPoints: [file], bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20', sourcemap: 'inline', write: false, logLevel: 'silent' }).catch(
    (error: { errors?: Array<{ text: string; location: { file: string; line: number; column: number } | null }> }) => {
      const problems = (error.errors ?? []).slice(0, 3).map(({ text, location }) => (location ? `${location.file}:${location.line}:${location.column + 1}: ${text}` : text));
      throw new RunError('INVALID_STRATEGY', `${source} does not compile: ${problems.join('; ') || String(error)}`, { source, problems }, { cause: error });
    },
  );
  // Named for whoever sees it meanwhile; the pid, thread and a random part keep parallel loads apart.
  const next = `${file}.tapedeck-${process.pid}-${threadId}-${randomUUID().slice(0, 8)}.mjs`;
  await writeFile(next, compiled.outputFiles[0]!.contents);
  try {
    return await import(pathToFileURL(next).href);
  } finally {
    await rm(next, { force: true });
  }
}

/** What a job names besides the path: a worker whose copy of the file differs refuses the job rather than run other code. */
export async function strategyFileHash(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 16);
}
