import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { ROOT, RunningProcess, TAPEDECK, cliEnv, workspace } from './cli-process.js';

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

// `script` (util-linux) runs the backtest on a pseudo-terminal, so stdin and stdout are TTYs
// and the prompt starts; what the test writes to script's stdin is typed at that terminal.
test('the prompt in the backtest terminal takes the data commands, completes them, and quits', async (t) => {
  t.is(spawnSync('script', ['--version']).status, 0, 'this test needs `script` from util-linux');
  const ws = await workspace();
  t.teardown(() => ws.remove());
  const command = [...TAPEDECK, 'backtest', '--date', '2024-03-08', '--symbols', 'AAPL,MSFT', '--speed', '60', '--data', ws.data, '--run-dir', ws.runDir].map(quote).join(' ');
  const terminal = new RunningProcess(spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: cliEnv({ TERM: 'xterm', COLUMNS: '160', LINES: '40' }) }));
  t.teardown(() => terminal.kill());
  const type = (text: string) => terminal.child.stdin.write(text);

  await terminal.waitFor(/Streaming\. From another terminal: .* — or type help here/);
  type('data add-symbol NVDA\r');
  await terminal.waitFor(/✓ Symbol NVDA queued for addition\r?\nBacktest mode: streaming will pause, load historical data, and catch up/);
  await terminal.waitFor(/NVDA failed: NO_DATA/);

  type('data add-symbol TSLA --wait\r');
  await terminal.waitFor(/✓ TSLA is active \(caught up \d+ bars\)/);

  // Tab completes the command name.
  type('data li\t');
  await terminal.waitFor(/data list-dynamic/);
  type('\r');
  await terminal.waitFor(/Total: 2 symbols/);

  type('data add-symbol AAPL\r');
  await terminal.waitFor(/✗ AAPL is one of the session's configured symbols/);

  type('quit\r');
  const { code } = await terminal.exited;
  t.is(code, 3, `NVDA failed: a partial run. ${terminal.stdout}`);
  t.regex(terminal.stdout, /Backtest 2024-03-08 · 09:30–16:00 EST · stopped early at \d\d:\d\d/);
  t.regex(terminal.stdout, /│ TSLA {3}│ dynamic {4}│ active/);
});
