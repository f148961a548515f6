import { createHash } from 'node:crypto';
import type { Plugin } from 'esbuild';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
 * module — and imports it from a private temporary folder, deleted once imported: nothing is
 * written beside the source, which may be read-only, and a process killed meanwhile leaves
 * nothing there. What would tie the module to its own place is fixed at compile time: each
 * package it imports is resolved from the source's folder, by Node's rules, to the file Node
 * would load (so `import 'tapedeck'` is the instance already running), and `import.meta.url`,
 * `dirname` and `filename` name the source. A loader hook for TypeScript (tsx's) would do the
 * same, but hooks run on a thread of their own and every later import of the process goes
 * through them: ~0.5 s of CPU a command.
 */
export async function importCompiled(file: string, source = file): Promise<unknown> {
  const { build } = await import('esbuild');
  const compiled = await build({
    entryPoints: [file],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Node's own conditions (import, node, default): esbuild would add `module`, and a package
    // that offers it would load twice, as two instances, with Node's choice beside it.
    conditions: [],
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(file).href), 'import.meta.dirname': JSON.stringify(path.dirname(file)), 'import.meta.filename': JSON.stringify(file) },
    plugins: [packagesFromSourceFolder],
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  }).catch((error: { errors?: Array<{ text: string; location: { file: string; line: number; column: number } | null }> }) => {
    const problems = (error.errors ?? []).slice(0, 3).map(({ text, location }) => (location ? `${location.file}:${location.line}:${location.column + 1}: ${text}` : text));
    throw new RunError('INVALID_STRATEGY', `${source} does not compile: ${problems.join('; ') || String(error)}`, { source, problems }, { cause: error });
  });
  // Named after the source for whoever reads a stack trace; the folder keeps parallel loads apart.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-strategy-'));
  try {
    const compiledFile = path.join(dir, `${path.basename(file).replace(TYPESCRIPT, '')}.mjs`);
    await writeFile(compiledFile, compiled.outputFiles[0]!.contents);
    return await import(pathToFileURL(compiledFile).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Marks each package import external, as the absolute URL of the file Node would load for it from the importing file's folder. */
const packagesFromSourceFolder: Plugin = {
  name: 'packages-from-source-folder',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async ({ path: specifier, kind, resolveDir, pluginData }) => {
      if (pluginData === RESOLVING_PACKAGE) return undefined;
      if (isBuiltin(specifier)) return { path: specifier, external: true };
      const resolved = await build.resolve(specifier, { kind, resolveDir, pluginData: RESOLVING_PACKAGE });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};
const RESOLVING_PACKAGE = Symbol('resolving a package');

/** What a job names besides the path: a worker whose copy of the file differs refuses the job rather than run other code. */
export async function strategyFileHash(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 16);
}
