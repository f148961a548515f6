import test from 'ava';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createControlServer } from '../../control/control-server.js';
import { readRunFile, writeRunFile } from '../../control/run-file.js';
import { SessionJournal } from '../../storage/journal/session-journal.js';
import { encodeRecord } from '../../storage/journal/journal-log.js';
import { deadPid, manualSession, tempDir } from '../control/session-fixture.js';
import { runCli } from './cli-process.js';

test('says that no session runs, and how to start one', async (t) => {
  const dir = await tempDir('cli');
  t.teardown(() => dir.remove());
  for (const args of [['data', 'add-symbol', 'TSLA'], ['data', 'remove-symbol', 'TSLA'], ['data', 'list-dynamic'], ['session', 'status']]) {
    const { code, stdout, stderr } = await runCli([...args, '--run-dir', dir.path]);
    t.is(code, 1, args.join(' '));
    t.is(stdout, '');
    t.is(stderr, `✗ No running tapedeck session in ${dir.path} — start one with: tapedeck backtest --date 2024-03-08 --symbols AAPL,MSFT --data ./data --run-dir ${dir.path}\n`);
  }
  const json = await runCli(['data', 'list-dynamic', '--json', '--run-dir', dir.path]);
  t.is(json.code, 1);
  t.like(JSON.parse(json.stdout), { error: { code: 'NO_SESSION' } });
});

test('reports a stale run file, and falls back on the journal of the crashed run for list-dynamic', async (t) => {
  const dir = await tempDir('cli');
  t.teardown(() => dir.remove());
  const pid = deadPid();
  await writeRunFile(dir.path, { version: 1, host: '127.0.0.1', port: 9, pid, token: 'a'.repeat(64), startedAt: new Date().toISOString(), mode: 'backtest', date: '2024-03-08' });
  const add = await runCli(['data', 'add-symbol', 'TSLA', '--run-dir', dir.path]);
  t.is(add.code, 1);
  t.regex(add.stderr, new RegExp(`^✗ Stale run file .*session\\.json: process ${pid} is gone \\(the session crashed or was killed\\) — delete it, or start a new session: tapedeck backtest`));

  const journal = await SessionJournal.open(dir.path);
  journal.begin({ mode: 'backtest', date: '2024-03-08', calendar: 'nyse', speed: 60, extendedHours: false, symbols: [{ symbol: 'AAPL', streams: ['1m'] }] });
  const at = { sim: Date.parse('2024-03-08T15:00:00Z'), wall: Date.now() };
  journal.recordSymbol({ symbol: 'TSLA', status: 'active', streams: ['1m', '5m'], addedAt: at, updatedAt: at });
  await journal.flush();
  // As if the process that wrote it had died.
  await appendFile(join(dir.path, 'journal.jsonl'), encodeRecord({ type: 'open', pid, startedAt: Date.now(), resumed: true }));

  const listed = await runCli(['data', 'list-dynamic', '--run-dir', dir.path]);
  t.is(listed.code, 0, listed.stderr);
  t.regex(listed.stdout, new RegExp(`^No session is running in .*: from the journal of a run of 2024-03-08 that crashed or was killed \\(process ${pid} is gone`));
  t.regex(listed.stdout, /│ TSLA {3}│ active │ 1m 5m {3}│ 10:00 {4}│/);
  const json = await runCli(['data', 'list-dynamic', '--json', '--run-dir', dir.path]);
  t.like(JSON.parse(json.stdout), { source: 'journal', run: { pid, ended: 'crashed' }, symbols: [{ symbol: 'TSLA', status: 'active' }] });
});

test('reports a token the session refuses', async (t) => {
  const dir = await tempDir('cli');
  const session = await manualSession();
  const server = await createControlServer(session, { runDir: dir.path });
  t.teardown(async () => {
    await server.close();
    await session.stop();
    await dir.remove();
  });
  const good = await runCli(['session', 'status', '--json', '--run-dir', dir.path]);
  t.is(good.code, 0, good.stderr);
  t.is(JSON.parse(good.stdout).pid, process.pid);

  const runFile = (await readRunFile(dir.path))!;
  // Same length, one digit off.
  await writeRunFile(dir.path, { ...runFile, token: runFile.token.replace(/^./, (c) => (c === '0' ? '1' : '0')) });
  const bad = await runCli(['data', 'list-dynamic', '--run-dir', dir.path]);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /^✗ The session refused the token in .*session\.json \(401\): the file was changed or belongs to another session — restart the session to write a new one\.\n$/);
});

test('rejects an invalid symbol or interval as a usage error, before looking for a session', async (t) => {
  const dir = await tempDir('cli');
  t.teardown(() => dir.remove());
  const symbol = await runCli(['data', 'add-symbol', 'B@D', '--run-dir', dir.path]);
  t.is(symbol.code, 2);
  t.regex(symbol.stderr, /Invalid symbol "B@D": use 1-15 characters/);
  t.notRegex(symbol.stderr, /No running tapedeck session/);
  const traversal = await runCli(['data', 'remove-symbol', '../etc', '--run-dir', dir.path]);
  t.is(traversal.code, 2);
  const interval = await runCli(['data', 'add-symbol', 'TSLA', '--streams', '1m,2m', '--run-dir', dir.path]);
  t.is(interval.code, 2);
  t.regex(interval.stderr, /Use intervals among 1m, 5m, 15m, 30m, 1h, e\.g\. 1m,5m \(not 2m\)/);
  const unknown = await runCli(['data', 'frobnicate']);
  t.is(unknown.code, 2);
  t.is(unknown.stderr, "✗ Unknown command 'frobnicate'. Add --help for usage.\n");
});
