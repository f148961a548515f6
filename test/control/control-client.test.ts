import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { ControlClient } from '../../control/control-client.js';
import { createControlServer } from '../../control/control-server.js';
import { readRunFile, resolveRunDir, runFilePath, writeRunFile, type RunFile } from '../../control/run-file.js';
import { deadPid, manualSession, tempDir } from './session-fixture.js';

const runFile = (overrides: Partial<RunFile>): RunFile => ({
  version: 1,
  host: '127.0.0.1',
  port: 1,
  pid: process.pid,
  token: 'a'.repeat(64),
  startedAt: new Date().toISOString(),
  mode: 'backtest',
  date: '2024-03-08',
  ...overrides,
});

test('says no session runs, and how to start one, when there is no run file', async (t) => {
  const dir = await tempDir('client');
  await t.throwsAsync(ControlClient.connect(dir.path), {
    code: 'NO_SESSION',
    message: `No running tapedeck session in ${dir.path} — start one with: tapedeck backtest --date 2024-03-08 --symbols AAPL,MSFT --data ./data --run-dir ${dir.path}`,
  });
  await dir.remove();
});

test('reports a run file whose process is gone as stale', async (t) => {
  const dir = await tempDir('client');
  const pid = deadPid();
  await writeRunFile(dir.path, runFile({ pid }));
  const error = await t.throwsAsync(ControlClient.connect(dir.path));
  t.is((error as { code?: string }).code, 'STALE_RUN_FILE');
  t.regex(error!.message, new RegExp(`^Stale run file .*session\\.json: process ${pid} is gone`));
  await dir.remove();
});

test('reports a run file nothing answers for as stale', async (t) => {
  const dir = await tempDir('client');
  const session = await manualSession();
  const server = await createControlServer(session, { runDir: dir.path });
  const written = (await readRunFile(dir.path))!;
  await server.close();
  // The process (this one) lives on, but its port no longer answers.
  await writeRunFile(dir.path, written);
  const client = await ControlClient.connect(dir.path);
  const error = await t.throwsAsync(client.status());
  t.is((error as { code?: string }).code, 'STALE_RUN_FILE');
  t.regex(error!.message, new RegExp(`nothing answers on 127\\.0\\.0\\.1:${written.port}`));
  await session.stop();
  await dir.remove();
});

test('reports a refused token, and a file that is not a run file', async (t) => {
  const dir = await tempDir('client');
  const session = await manualSession();
  const server = await createControlServer(session, { runDir: dir.path });
  const written = (await readRunFile(dir.path))!;
  await writeRunFile(dir.path, { ...written, token: 'b'.repeat(64) });
  const client = await ControlClient.connect(dir.path);
  const error = await t.throwsAsync(client.listDynamic());
  t.like(error, { code: 'UNAUTHORIZED', status: 401 } as never);
  t.regex(error!.message, /refused the token .* restart the session/);

  await writeFile(runFilePath(dir.path), '{"port": "x"}');
  await t.throwsAsync(ControlClient.connect(dir.path), { code: 'BAD_RUN_FILE', message: /is not a tapedeck run file/ });
  await server.close();
  await session.stop();
  await dir.remove();
});

test('drives a session and reports its refusals with their codes', async (t) => {
  const dir = await tempDir('client');
  const session = await manualSession();
  const server = await createControlServer(session, { runDir: dir.path });
  const client = await ControlClient.connect(dir.path);

  t.like(await client.addSymbol({ symbol: 'TSLA', streams: ['1m', '5m'] }), { status: 'queued', waited: false });
  t.like(await t.throwsAsync(client.addSymbol({ symbol: 'TSLA' })), { code: 'DUPLICATE_SYMBOL', status: 409 } as never);
  t.like(await t.throwsAsync(client.removeSymbol({ symbol: 'IBM' })), { code: 'UNKNOWN_SYMBOL', status: 404 } as never);
  await session.advance(0);
  t.deepEqual((await client.listDynamic()).symbols.map((s) => [s.symbol, s.status]), [['TSLA', 'active']]);
  const removal = client.removeSymbol({ symbol: 'TSLA', immediate: true, wait: true });
  t.like(await removal, { symbol: 'TSLA', immediate: true, previousStatus: 'active', status: 'removed', waited: true });
  t.is((await client.status()).state, 'streaming');

  await server.close();
  await session.stop();
  await dir.remove();
});

test('finds the run directory from --run-dir, then TAPEDECK_RUN_DIR, then .tapedeck', (t) => {
  const saved = process.env['TAPEDECK_RUN_DIR'];
  delete process.env['TAPEDECK_RUN_DIR'];
  t.is(resolveRunDir(), '.tapedeck');
  process.env['TAPEDECK_RUN_DIR'] = '/tmp/elsewhere';
  t.is(resolveRunDir(), '/tmp/elsewhere');
  t.is(resolveRunDir('mine'), 'mine');
  if (saved === undefined) delete process.env['TAPEDECK_RUN_DIR'];
  else process.env['TAPEDECK_RUN_DIR'] = saved;
});
