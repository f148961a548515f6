import test from 'ava';
import { access } from 'node:fs/promises';
import { runFilePath } from '../../control/run-file.js';
import { runCli, startCli, workspace } from './cli-process.js';

// One backtest in a child process, driven from other child processes as a user would from a
// second terminal. Speed 120 (two simulated minutes a second) keeps it running for the whole test.
test('a backtest is driven from other processes, then stopped with Ctrl-C, and prints its summary', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  const run = (...args: string[]) => runCli([...args, '--run-dir', ws.runDir]);
  const backtest = startCli(['backtest', '--date', '2024-03-08', '--symbols', 'AAPL,MSFT', '--streams', '1m,5m', '--speed', '120', '--data', ws.data, '--run-dir', ws.runDir, '--journal', '--json']);
  t.teardown(() => backtest.kill());
  await backtest.waitFor(/Streaming\./, 'stderr');
  // Let a few simulated minutes pass, so that the add has something to catch up.
  for (let clock = 0; clock < Date.parse('2024-03-08T14:34:00Z'); ) {
    const polled = await run('session', 'status', '--json');
    t.is(polled.code, 0, polled.stderr);
    clock = JSON.parse(polled.stdout).clock.ms;
  }

  const added = await run('data', 'add-symbol', 'TSLA', '--streams', '1m,5m', '--wait');
  t.is(added.code, 0, added.stderr);
  t.regex(added.stdout, /^✓ TSLA is active \(caught up [1-9]\d* bars\)\n$/);

  const listed = await run('data', 'list-dynamic', '--json');
  t.is(listed.code, 0, listed.stderr);
  const dynamic = JSON.parse(listed.stdout);
  t.like(dynamic, { source: 'session', mode: 'backtest', date: '2024-03-08', timeZone: 'America/New_York' });
  t.deepEqual(dynamic.symbols.map((s: any) => [s.symbol, s.status, s.streams]), [['TSLA', 'active', ['1m', '5m']]]);

  const table = await run('data', 'list-dynamic');
  t.is(table.code, 0);
  t.regex(table.stdout, /│ Symbol │ Status │ Streams │ Added at │/);
  t.regex(table.stdout, /│ TSLA {3}│ active │ 1m 5m {3}│ \d\d:\d\d {4}│/);
  t.regex(table.stdout, /Total: 1 symbol\n$/);

  // Refusals: one actionable line on stderr and a non-zero exit, the session untouched.
  const configured = await run('data', 'add-symbol', 'AAPL');
  t.is(configured.code, 1);
  t.regex(configured.stderr, /^✗ AAPL is one of the session's configured symbols \(active\); remove it first to add it again\.\n$/);
  const duplicate = await run('data', 'add-symbol', 'TSLA', '--json');
  t.is(duplicate.code, 1);
  t.like(JSON.parse(duplicate.stdout), { error: { code: 'DUPLICATE_SYMBOL' } });
  const unknown = await run('data', 'remove-symbol', 'IBM');
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /^✗ IBM is not in the session; symbols: AAPL, MSFT, TSLA\.\n$/);
  const noData = await run('data', 'add-symbol', 'NVDA', '--wait');
  t.is(noData.code, 1);
  t.regex(noData.stderr, /^✗ NVDA failed: NO_DATA No 1m bars for NVDA on 2024-03-08 in the bar store/);
  t.is(noData.stdout, '');

  // A second session may not take over the run directory (nor overwrite its journal).
  const second = await runCli(['backtest', '--date', '2024-03-08', '--symbols', 'AAPL', '--data', ws.data, '--run-dir', ws.runDir, '--journal']);
  t.is(second.code, 1);
  t.regex(second.stderr, new RegExp(`^✗ Another tapedeck session \\(pid ${backtest.child.pid}, backtest 2024-03-08\\) is running with run dir ${ws.runDir}: stop it, or give this one its own --run-dir\\.\n$`));

  const removed = await run('data', 'remove-symbol', 'TSLA');
  t.is(removed.code, 0, removed.stderr);
  t.is(removed.stdout, '✓ Symbol TSLA marked for removal\nGraceful removal: draining queues… (it streams to the end of the current minute)\n');

  // Graceful: TSLA drains to the end of the simulated minute (half a second at this speed), then goes.
  let report: any;
  do {
    const status = await run('session', 'status', '--json');
    t.is(status.code, 0, status.stderr);
    report = JSON.parse(status.stdout);
  } while (report.symbols.find((s: any) => s.symbol === 'TSLA').status === 'draining');
  t.like(report, { mode: 'backtest', date: '2024-03-08', calendar: 'nyse', running: true, pid: backtest.child.pid });
  t.true(['streaming', 'paused', 'catchingUp', 'reactivating'].includes(report.state), report.state);
  t.true(report.clock.ms > Date.parse('2024-03-08T14:34:00Z') && report.clock.ms < Date.parse('2024-03-08T21:00:00Z'));
  t.deepEqual(Object.fromEntries(report.symbols.map((s: any) => [s.symbol, s.status])), { AAPL: 'active', MSFT: 'active', TSLA: 'removed', NVDA: 'failed' });
  t.true(report.pauses.count >= 3, 'the start, TSLA and NVDA');

  backtest.child.kill('SIGINT');
  const { code, stdout, stderr } = await backtest.exited;
  t.is(code, 3, `NVDA failed: a partial run. ${stderr}`);
  const summary = JSON.parse(stdout);
  t.like(summary, { mode: 'backtest', date: '2024-03-08', stopped: true, added: ['TSLA', 'NVDA'], removed: ['TSLA'] });
  const tsla = summary.symbols.find((s: any) => s.symbol === 'TSLA');
  t.like(tsla, { origin: 'dynamic', status: 'removed', streams: ['1m', '5m'] });
  t.is(tsla.caughtUp['1m'], Number(/caught up (\d+) bars/.exec(added.stdout)![1]), 'what add-symbol --wait reported');
  t.is(summary.symbols.find((s: any) => s.symbol === 'NVDA').error.code, 'NO_DATA');
  t.regex(stderr, /TSLA is active \(caught up \d+ bars\)/);
  t.regex(stderr, /TSLA removed/);
  t.regex(stderr, /Stopping the session/);
  await t.throwsAsync(access(runFilePath(ws.runDir)), { code: 'ENOENT' }, 'the run file is removed at the end');

  // Nothing runs now: list-dynamic falls back on the journal and says so.
  const afterwards = await run('data', 'list-dynamic');
  t.is(afterwards.code, 0, afterwards.stderr);
  t.regex(afterwards.stdout, /^No session is running in .*: from the journal of the finished run of 2024-03-08/);
  t.regex(afterwards.stdout, /│ TSLA {3}│ removed {10}│ 1m 5m {3}│/);
  t.regex(afterwards.stdout, /│ NVDA {3}│ failed \(NO_DATA\) │ 1m {6}│/);
  t.regex(afterwards.stdout, /Total: 2 symbols\n$/);
  const gone = await run('session', 'status');
  t.is(gone.code, 1);
  t.regex(gone.stderr, /^✗ No running tapedeck session in .* — start one with: tapedeck backtest --date/);
});
