import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The README's embedding example must run exactly as written: it is cut out of README.md and run.
const root = fileURLToPath(new URL('..', import.meta.url));

test('the README embedding example runs as written and prints what its comments say', async (t) => {
  const readme = await readFile(`${root}README.md`, 'utf8');
  const match = /<!-- readme-example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
  t.truthy(match, 'README.md has a marked example');
  // Inside the package, so `import ... from 'tapedeck'` resolves to this checkout.
  await mkdir(`${root}test-artifacts`, { recursive: true });
  const file = `${root}test-artifacts/readme-example.mts`;
  await writeFile(file, match![1]!);
  const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=tapedeck-source', '--import', 'tsx', file], { cwd: root });
  t.regex(stdout, /symbol: 'TSLA',\s+status: 'active'/);
  const lines = stdout.trim().split('\n');
  t.true(lines.includes('18'), `5m bars of TSLA by 11:00:\n${stdout}`);
  t.regex(lines.at(-1)!, /^\d+ 2 \[ 'AAPL:active', 'MSFT:removed', 'TSLA:active' \]$/);
});
