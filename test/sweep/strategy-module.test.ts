import test from 'ava';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunError } from '../../run/run-error.js';
import { runSweep } from '../../sweep/run-sweep.js';
import { importCompiled } from '../../sweep/strategy-module.js';
import { fixtureStore } from './sweep-fixture.js';

// `importCompiled` is how the installed command loads a .ts strategy; from the sources, as the
// tests run, a strategy is imported through tsx (its `import 'tapedeck'` is TypeScript then).
const load = async (file: string, source?: string) => ((await importCompiled(file, source)) as { default: { name: string; params: Record<string, unknown> } }).default;

/** A folder of strategy files of its own for each test, whose listing the tests check. */
async function folder(t: { teardown: (fn: () => Promise<void>) => void }, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-strategy-module-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const STRATEGY = `
import { fileURLToPath } from 'node:url';
import { LEVEL, type Level } from './levels.js';
interface Params { level: Level; dir: string }
const params: Params = { level: LEVEL, dir: fileURLToPath(new URL('.', import.meta.url)) };
export default { name: 'typed', params, symbols: ['AAA'], streams: ['1m'] };
`;

test('a TypeScript strategy loads with its local TypeScript imports, from its own folder, and leaves no file behind', async (t) => {
  const dir = await folder(t, { 'strategy.ts': STRATEGY, 'levels.ts': 'export type Level = number;\nexport const LEVEL: Level = 42;\n' });
  const strategy = await load(path.join(dir, 'strategy.ts'));
  t.is(strategy.name, 'typed');
  t.is(strategy.params.level, 42);
  t.is(path.resolve(String(strategy.params.dir)), dir, 'import.meta.url is in the source folder, so its imports resolve as the source would');
  t.deepEqual((await readdir(dir)).sort(), ['levels.ts', 'strategy.ts']);
});

test('several loads of one file at once each get the strategy and leave nothing behind', async (t) => {
  const dir = await folder(t, { 'strategy.ts': STRATEGY, 'levels.ts': 'export type Level = number;\nexport const LEVEL: Level = 7;\n' });
  const loaded = await Promise.all(Array.from({ length: 6 }, () => load(path.join(dir, 'strategy.ts'))));
  t.deepEqual(loaded.map((strategy) => strategy.params.level), [7, 7, 7, 7, 7, 7]);
  t.deepEqual((await readdir(dir)).sort(), ['levels.ts', 'strategy.ts']);
});

test('while the strategy is imported its folder holds its sources only: nothing is written beside them', async (t) => {
  // The strategy lists its own folder as it is imported, when a compiled module written beside it would be there.
  const listing = `import { readdirSync } from 'node:fs';
const files: string[] = readdirSync(new URL('.', import.meta.url)).sort();
export default { name: 'lists', params: { files }, symbols: ['AAA'], streams: ['1m'] };
`;
  const dir = await folder(t, { 'strategy.ts': listing });
  const strategy = await load(path.join(dir, 'strategy.ts'));
  t.deepEqual(strategy.params.files, ['strategy.ts']);
});

test("a package the strategy imports is the file Node loads from the strategy's folder, by Node's conditions", async (t) => {
  // `module` is a bundlers' condition Node ignores: a loader that honoured it would load a second copy.
  const pkg = { name: 'levels', type: 'module', exports: { '.': { module: './bundler.js', import: './node.js', default: './other.js' } } };
  const dir = await folder(t, { 'strategy.ts': `import { from } from 'levels';\nexport default { name: 'pkg', params: { from }, symbols: ['AAA'], streams: ['1m'] };\n` });
  const modules = path.join(dir, 'node_modules', 'levels');
  await mkdir(modules, { recursive: true });
  await writeFile(path.join(modules, 'package.json'), JSON.stringify(pkg));
  for (const name of ['bundler', 'node', 'other']) await writeFile(path.join(modules, `${name}.js`), `export const from = '${name}';\n`);
  const strategy = await load(path.join(dir, 'strategy.ts'));
  t.is(strategy.params.from, 'node');
});

test('a strategy that does not compile is INVALID_STRATEGY, with where and why', async (t) => {
  const dir = await folder(t, { 'broken.ts': 'export default { name: "broken", params: { a: 1 }\n' });
  const error = await t.throwsAsync(load(path.join(dir, 'broken.ts'), 'strategies/broken.ts'));
  t.true(isRunError(error, 'INVALID_STRATEGY'));
  t.regex(error!.message, /^strategies\/broken\.ts does not compile: .*broken\.ts:2:\d+: Expected "}" but found end of file/);
  t.deepEqual(await readdir(dir), ['broken.ts']);
});

test('a strategy importing a package that is not installed is INVALID_STRATEGY, naming the package and the line', async (t) => {
  const dir = await folder(t, { 'missing.ts': "import { SMA } from 'no-such-indicators';\nexport default { name: 'missing', params: { n: new SMA(3) }, symbols: ['AAA'], streams: ['1m'] };\n" });
  const error = await t.throwsAsync(load(path.join(dir, 'missing.ts'), 'strategies/missing.ts'));
  t.true(isRunError(error, 'INVALID_STRATEGY'));
  t.regex(error!.message, /^strategies\/missing\.ts does not compile: .*missing\.ts:1:\d+: Could not resolve "no-such-indicators"/);
  t.deepEqual(await readdir(dir), ['missing.ts']);
});

test('a strategy that throws as it is imported fails with its own error and leaves no file behind', async (t) => {
  const dir = await folder(t, { 'throws.ts': 'const why: string = "no data feed configured";\nthrow new Error(why);\n' });
  await t.throwsAsync(load(path.join(dir, 'throws.ts')), { message: 'no data feed configured' });
  t.deepEqual(await readdir(dir), ['throws.ts']);
});

test('a pool thread imports a strategy that imports tapedeck by its name, as the examples do', async (t) => {
  const { data } = await fixtureStore(t);
  const strategy = fileURLToPath(new URL('../../examples/sma-cross.ts', import.meta.url));
  const sweep = await runSweep({ strategy, from: '2024-03-04', to: '2024-03-05', grid: ['fast=5,10'], symbols: ['AAA'], data, workers: 1 });
  t.deepEqual(sweep.failed, []);
  t.is(sweep.ranked.length, 2);
});
