import test from 'ava';
import { runCli, startCli, workspace } from './cli-process.js';

// `tapedeck live --feed replay` offline: a fast replay of a stored day, driven from another
// process, ends holding every stored bar of the day.
test('a replayed live day is driven from another process and streams every stored bar', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  const live = startCli(['live', '--feed', 'replay', '--date', '2024-03-08', '--speed', '3000', '--symbols', 'AAPL', '--streams', '1m,5m', '--trailing-days', '0', '--data', ws.data, '--run-dir', ws.runDir, '--json']);
  t.teardown(() => live.kill());
  await live.waitFor(/Streaming\./, 'stderr');
  const added = await runCli(['data', 'add-symbol', 'MSFT', '--wait', '--run-dir', ws.runDir]);
  t.is(added.code, 0, added.stderr);
  t.regex(added.stdout, /^✓ MSFT is active/);
  const ended = await live.exited;
  t.is(ended.code, 0, ended.stderr);
  const summary = JSON.parse(ended.stdout);
  t.is(summary.endedBy, 'close');
  const stored = await runCli(['backtest', '--date', '2024-03-08', '--symbols', 'AAPL', '--speed', 'max', '--data', ws.data, '--run-dir', `${ws.runDir}-backtest`, '--json']);
  const backtest = JSON.parse(stored.stdout);
  const aapl = summary.symbols.find((s: { symbol: string }) => s.symbol === 'AAPL');
  const reference = backtest.symbols.find((s: { symbol: string }) => s.symbol === 'AAPL');
  t.is((aapl.caughtUp['1m'] ?? 0) + aapl.streamed['1m'], reference.streamed['1m'], 'every stored 1m bar of the day, caught up or streamed');
  t.deepEqual(summary.added, ['MSFT']);
  t.is(summary.symbols.find((s: { symbol: string }) => s.symbol === 'MSFT').status, 'active');
});
