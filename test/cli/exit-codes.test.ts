import test from 'ava';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSessionError } from '../../model/session-error.js';
import { assertValidSymbol } from '../../model/symbol-name.js';
import { cliEnv, ROOT, runCli, workspace } from './cli-process.js';

// Exit codes, as the README documents them: 0 ok, 1 failed or nothing useful done, 2 usage
// error, 3 partial (some symbols failed).

async function space(t: { teardown(fn: () => Promise<void>): void }) {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  return ws;
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

test('--version prints the package version', async (t) => {
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const run = await runCli([flag]);
    t.is(run.code, 0, run.stderr);
    t.is(run.stdout, `${version}\n`);
  }
});

test('a backtest whose symbols all failed exits 1 with one line saying why', async (t) => {
  const ws = await space(t);
  const base = ['backtest', '--date', '2024-03-08', '--speed', 'max', '--data', ws.data, '--run-dir', ws.runDir];
  const none = await runCli([...base, '--symbols', 'NVDA,IBM']);
  t.is(none.code, 1, none.stderr);
  t.regex(none.stderr, /^✗ Nothing ran: every symbol failed\. NVDA NO_DATA: .*; IBM NO_DATA: .*\n$/);
  t.regex(none.stdout, /✗ 2 of 2 symbols failed: NVDA \(NO_DATA\), IBM \(NO_DATA\)/);

  // A corrupt bar file: LOAD_FAILED. With --json the summary stays stdout's one document.
  const day = join(ws.data, '1m', '2024-03-08');
  for (const segment of await readdir(day)) if (segment.endsWith('.arrow')) await writeFile(join(day, segment), 'ARROW1 truncated');
  const corrupt = await runCli([...base, '--symbols', 'AAPL', '--json']);
  t.is(corrupt.code, 1, corrupt.stderr);
  t.is(JSON.parse(corrupt.stdout).symbols[0].error.code, 'LOAD_FAILED');
  t.regex(lastLine(corrupt.stderr)!, /^✗ Nothing ran: every symbol failed\. AAPL LOAD_FAILED: .*\.arrow is corrupt/);
});

test('a backtest where some symbols failed says so in the summary and exits 3', async (t) => {
  const ws = await space(t);
  const run = await runCli(['backtest', '--date', '2024-03-08', '--symbols', 'AAPL,NVDA', '--speed', 'max', '--data', ws.data, '--run-dir', ws.runDir]);
  t.is(run.code, 3, run.stderr);
  t.regex(run.stdout, /\n✗ 1 of 2 symbols failed: NVDA \(NO_DATA\)\n$/);
  t.is(run.stderr, '');
});

test('an import that imported no bar exits 1: all rows bad with --skip-bad, or a header without rows', async (t) => {
  const ws = await space(t);
  const bad = join(ws.root, 'bad.csv');
  await writeFile(bad, 'timestamp,open,high,low,close,volume\n2024-03-08 09:30,10,11,9,oops,100\n2024-03-08 09:31,10,9,11,10,100\n');
  const skipped = await runCli(['data', 'import', bad, '--symbol', 'IBM', '--data', ws.data, '--skip-bad']);
  t.is(skipped.code, 1, skipped.stderr);
  t.is(skipped.stdout, '');
  t.is(skipped.stderr, `  line 2: close "oops" is not a number\n  line 3: high 9 is below low 11\n✗ Nothing imported: all 2 rows of ${bad} are bad.\n`);

  const headerOnly = join(ws.root, 'header.csv');
  await writeFile(headerOnly, 'timestamp,open,high,low,close,volume\n');
  const empty = await runCli(['data', 'import', headerOnly, '--symbol', 'IBM', '--data', ws.data]);
  t.is(empty.code, 1, empty.stderr);
  t.is(empty.stderr, `✗ Nothing imported: ${headerOnly} has a header but no rows.\n`);
  const json = await runCli(['data', 'import', headerOnly, '--symbol', 'IBM', '--data', ws.data, '--json']);
  t.is(json.code, 1);
  t.like(JSON.parse(json.stdout), { imported: 0, rows: 0 });
  t.is(json.stderr, `✗ Nothing imported: ${headerOnly} has a header but no rows.\n`);
});

test('data generate over a range without trading days exits 1', async (t) => {
  const ws = await space(t);
  const run = await runCli(['data', 'generate', '--symbols', 'AAPL', '--from', '2024-03-30', '--to', '2024-03-31', '--data', ws.data]);
  t.is(run.code, 1);
  t.is(run.stderr, '✗ Nothing generated: the NYSE has no trading day from 2024-03-30 to 2024-03-31. Pick a range with trading days (tapedeck calendar <date> shows a day).\n');
});

// Under a regular file (ENOTDIR): root can write anywhere chmod forbids, but not there.
test('a run dir or bar store that cannot be written is DIR_NOT_WRITABLE, naming the folder and what to do', async (t) => {
  const ws = await space(t);
  const file = join(ws.root, 'a-file');
  await writeFile(file, '');
  const runDir = join(file, 'run');
  const backtest = await runCli(['backtest', '--date', '2024-03-08', '--symbols', 'AAPL', '--speed', 'max', '--data', ws.data, '--run-dir', runDir]);
  t.is(backtest.code, 1);
  t.is(backtest.stderr, `✗ Cannot write to the run directory ${runDir}: part of that path is a file, not a folder. Pass --run-dir with a folder you can write, or set TAPEDECK_RUN_DIR.\n`);
  const json = await runCli(['backtest', '--date', '2024-03-08', '--symbols', 'AAPL', '--data', ws.data, '--run-dir', runDir, '--json']);
  t.like(JSON.parse(json.stdout), { error: { code: 'DIR_NOT_WRITABLE' } });

  const data = join(file, 'data');
  const generate = await runCli(['data', 'generate', '--symbols', 'AAPL', '--from', '2024-03-08', '--to', '2024-03-08', '--data', data]);
  t.is(generate.code, 1);
  t.is(generate.stderr, `✗ Cannot write to the bar store ${data}: part of that path is a file, not a folder. Pass --data with a folder you can write.\n`);
  const csv = join(ws.root, 'bars.csv');
  await writeFile(csv, 'timestamp,open,high,low,close,volume\n2024-03-08 09:30,10,11,9,10,100\n');
  const imported = await runCli(['data', 'import', csv, '--symbol', 'IBM', '--data', file]);
  t.is(imported.code, 1);
  t.is(imported.stderr, `✗ Cannot write to the bar store ${file}: it is a file, not a folder. Pass --data with a folder you can write.\n`);
});

test("commander's usage errors look like the CLI's own: one line, exit 2, a JSON document with --json", async (t) => {
  const unknown = await runCli(['calendar', '2024-03-08', '--nope']);
  t.is(unknown.code, 2);
  t.is(unknown.stderr, "✗ Unknown option '--nope'. Add --help for usage.\n");
  const missing = await runCli(['calendar', '--json']);
  t.is(missing.code, 2);
  t.is(missing.stderr, "✗ Missing required argument 'date'. Add --help for usage.\n");
  t.deepEqual(JSON.parse(missing.stdout), { error: { code: 'USAGE_ERROR', message: "Missing required argument 'date'. Add --help for usage." } });
});

test('a lowercase symbol is refused by the CLI as by the API, in the same words', async (t) => {
  const api = t.throws(() => assertValidSymbol('aapl'));
  t.true(isSessionError(api, 'INVALID_SYMBOL'));
  const ws = await space(t);
  const cli = await runCli(['data', 'generate', '--symbols', 'aapl', '--from', '2024-03-08', '--to', '2024-03-08', '--data', ws.data]);
  t.is(cli.code, 2);
  t.is(cli.stderr, `✗ Option '--symbols <list>' argument 'aapl' is invalid. ${api!.message} Add --help for usage.\n`);
  const add = await runCli(['data', 'add-symbol', 'tsla', '--run-dir', ws.runDir]);
  t.is(add.code, 2);
  t.true(add.stderr.includes(t.throws(() => assertValidSymbol('tsla'))!.message), add.stderr);
  t.notRegex(add.stderr, /No running tapedeck session/, 'refused before looking for a session');
});

test('FORCE_COLOR=0 turns colors off', async (t) => {
  const ws = await space(t);
  const args = ['data', 'generate', '--symbols', 'AAPL', '--from', '2024-03-08', '--to', '2024-03-08', '--data', ws.data];
  const env = (value: string) => {
    const base = cliEnv({ FORCE_COLOR: value });
    delete base['NO_COLOR'];
    return base;
  };
  t.regex((await runCli(args, env('1'))).stdout, /\u001b\[/, 'FORCE_COLOR=1 colors even into a pipe');
  for (const value of ['0', 'false']) {
    const run = await runCli(args, env(value));
    t.is(run.code, 0, run.stderr);
    t.notRegex(run.stdout, /\u001b\[/, `FORCE_COLOR=${value}`);
  }
});
