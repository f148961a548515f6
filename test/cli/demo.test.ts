import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { cliEnv, runCli } from './cli-process.js';

test('the demo generates its data once, tells the day, ends with the same summary every run, then runs the example strategy to a report', async (t) => {
  const runDir = await mkdtemp(join(tmpdir(), 'tapedeck-demo-'));
  t.teardown(() => rm(runDir, { recursive: true, force: true }));
  const env = cliEnv({ TAPEDECK_RUN_DIR: runDir });

  const first = await runCli(['demo'], env);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, /^Generating the demo data \(AAPL, MSFT, NVDA, TSLA, 2024-03-04 … 2024-03-08, seed 42\) into .*demo-data…/);
  for (const line of [
    /\n09:30 {2}✓ AAPL \(1m, 5m\), MSFT \(1m, 5m\) and NVDA \(1m\) are loaded and streaming\n/,
    /\n11:00 {2}add TSLA \(1m, 5m\) — backtest mode: the stream pauses/,
    /\n11:00 {2}session: streaming → paused → catchingUp → streaming\n/,
    /\n11:00 {2}✓ TSLA is active: caught up \d+ 1m and 18 5m bars in a [\d.]+ m?s pause/,
    /\n14:00 {2}remove MSFT — graceful/,
    /\n14:01 {2}✓ MSFT removed\n/,
    /the first TSLA bar it saw closed at 11:0\d, after the add/,
    /Backtest 2024-03-08 · 09:30–16:00 EST · ran to the close at 16:00/,
    /Added: TSLA · removed: MSFT/,
  ]) {
    t.regex(first.stdout, line);
  }

  // Then the example strategy over the demo's days and symbols, to a report in the run dir.
  t.regex(first.stdout, /\nStrategy run · examples\/sma-cross\.ts · 2024-03-04 → 2024-03-08 · AAPL, MSFT, NVDA, TSLA/);
  t.regex(first.stdout, /│ total return +│ -?\d+\.\d\d % +│/);
  const reportFile = join(runDir, 'demo-results', 'report.html');
  t.true(first.stdout.includes(`✓ Report: ${reportFile} (open it in a browser; it works offline)\n`));
  const report = await readFile(reportFile, 'utf8');
  t.true(report.includes('window.LightweightCharts'), 'the charts library is in the page');
  const result = JSON.parse(await readFile(join(runDir, 'demo-results', 'result.json'), 'utf8'));
  t.deepEqual(result.config.symbols, ['AAPL', 'MSFT', 'NVDA', 'TSLA']);
  t.is(result.days.length, 5);
  t.true(result.metrics.trades > 0);

  t.true(Object.keys((await new ArrowBarStore(join(runDir, 'demo-data')).catalog()).series).includes('TSLA'), 'the demo data is an Arrow store');

  const second = await runCli(['demo', '--json'], env);
  t.is(second.code, 0, second.stderr);
  t.regex(second.stderr, /Demo data: .*demo-data \(generated earlier\)/);
  t.true(second.stderr.includes(`✓ Report: ${reportFile}`));
  t.is(await readFile(reportFile, 'utf8'), report, 'the same demo writes the same report');
  const summary = JSON.parse(second.stdout);
  t.like(summary, { date: '2024-03-08', stopped: false, added: ['TSLA'], removed: ['MSFT'] });
  const rows = Object.fromEntries(summary.symbols.map((s: any) => [s.symbol, s]));
  t.like(rows, { AAPL: { status: 'active' }, MSFT: { status: 'removed' }, NVDA: { status: 'active' }, TSLA: { origin: 'dynamic', status: 'active' } });
  // Same seed, same data, same steps: the table of the first run holds the same counts.
  t.true(first.stdout.includes(`1m ${rows.TSLA.caughtUp['1m']} · 5m ${rows.TSLA.caughtUp['5m']}`));
  t.true(first.stdout.includes(`1m ${rows.AAPL.streamed['1m']} · 5m ${rows.AAPL.streamed['5m']}`));
});
