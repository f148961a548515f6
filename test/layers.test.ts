import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// `npm run layers` guards the folder layering. These tests run the same rule set over small
// trees, so a rule that stopped matching (a renamed folder, a broken pattern) fails here.
const root = fileURLToPath(new URL('..', import.meta.url));
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');

async function cruise(files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-layers-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    try {
      const { stdout } = await promisify(execFile)(depcruise, ['--config', config, '--output-type', 'err', '.'], { cwd: dir });
      return { ok: true, output: stdout };
    } catch (error) {
      return { ok: false, output: String((error as { stdout?: string }).stdout) };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('an import that points down a layer passes', async (t) => {
  const result = await cruise({
    'model/bar.ts': 'export type Bar = { t: number };\n',
    'session/session.ts': "import type { Bar } from '../model/bar.js';\nexport type Held = Bar;\n",
  });
  t.true(result.ok, result.output);
});

for (const [from, to] of [
  ['model', 'session'],
  ['data-plane', 'machines'],
  ['machines', 'session'],
  ['session', 'storage'],
  ['storage', 'cli'],
  ['control', 'inspector'],
] as const) {
  test(`${from}/ importing ${to}/ is refused as upward`, async (t) => {
    const result = await cruise({
      [`${to}/upper.ts`]: 'export const upper = 1;\n',
      [`${from}/lower.ts`]: `import { upper } from '../${to}/upper.js';\nexport const lower = upper;\n`,
    });
    t.false(result.ok);
    t.regex(result.output, new RegExp(`${from}-imports-upward`));
  });
}

test('storage/ and feeds/ are one layer and may not import each other', async (t) => {
  const result = await cruise({
    'storage/store.ts': 'export const store = 1;\n',
    'feeds/feed.ts': "import { store } from '../storage/store.js';\nexport const feed = store;\n",
  });
  t.false(result.ok);
  t.regex(result.output, /feeds-imports-sibling/);
});

test('the library may not import a test', async (t) => {
  const result = await cruise({
    'test/support/fixture.ts': 'export const fixture = 1;\n',
    'session/session.ts': "import { fixture } from '../test/support/fixture.js';\nexport const s = fixture;\n",
  });
  t.false(result.ok);
  t.regex(result.output, /library-imports-tests-or-bench/);
});
