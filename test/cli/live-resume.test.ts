import test from 'ava';
import { SessionJournal } from '../../storage/journal/session-journal.js';
import { runCli, startCli, workspace } from './cli-process.js';

// `tapedeck live --journal`, killed with SIGKILL, then `--resume`: the session comes back with
// the symbols its commands ended with — the one added from another terminal, not the configured
// one removed — and reconnects.
test('a live session killed with SIGKILL resumes with the symbols its journal ends with', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  // A minute a second: the day outlasts the test on any machine; both runs are ended by the test.
  const args = ['live', '--feed', 'replay', '--date', '2024-03-08', '--speed', '60', '--symbols', 'AAPL,MSFT', '--trailing-days', '0', '--data', ws.data, '--run-dir', ws.runDir, '--json'];
  const first = startCli([...args, '--journal']);
  t.teardown(() => first.kill());
  await first.waitFor(/Streaming\./, 'stderr', 60_000);
  const added = await runCli(['data', 'add-symbol', 'TSLA', '--streams', '1m,5m', '--wait', '--run-dir', ws.runDir]);
  t.is(added.code, 0, added.stderr);
  const removed = await runCli(['data', 'remove-symbol', 'AAPL', '--immediate', '--run-dir', ws.runDir]);
  t.is(removed.code, 0, removed.stderr);
  first.child.kill('SIGKILL');
  await first.exited;
  t.is(first.child.signalCode, 'SIGKILL', 'it was killed, not finished');
  t.deepEqual((await SessionJournal.read(ws.runDir))!.commands.map(({ command }) => `${command.op} ${command.symbol}`), ['add TSLA', 'remove AAPL']);

  const refused = await runCli([...args, '--journal']);
  t.is(refused.code, 1, refused.stderr);
  t.regex(refused.stdout + refused.stderr, /UNFINISHED_RUN|interrupted run/);

  const resumed = startCli([...args, '--resume']);
  t.teardown(() => resumed.kill());
  await resumed.waitFor(/Resuming the session of 2024-03-08 from .*journal\.jsonl/, 'stderr', 60_000);
  await resumed.waitFor(/TSLA active/, 'stderr', 60_000);
  await resumed.waitFor(/AAPL removed/, 'stderr', 60_000);
  resumed.child.kill('SIGTERM');
  const ended = await resumed.exited;
  t.is(ended.code, 0, ended.stderr);
  const summary = JSON.parse(ended.stdout);
  const status = (symbol: string) => summary.symbols.find((s: { symbol: string }) => s.symbol === symbol)?.status;
  t.is(status('TSLA'), 'active');
  t.deepEqual(summary.symbols.find((s: { symbol: string }) => s.symbol === 'TSLA').streams, ['1m', '5m']);
  t.is(status('MSFT'), 'active');
  t.is(status('AAPL'), 'removed', 'the configured symbol removed before the kill does not come back');
});
