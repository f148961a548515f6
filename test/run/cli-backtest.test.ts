import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';
import { existsSync } from 'node:fs';
import { cliEnv, INSTALLED_BIN, ROOT, runCli } from '../cli/cli-process.js';

async function dataDir(): Promise<{ root: string; data: string }> {
  const root = await mkdtemp(join(tmpdir(), 'tapedeck-strategy-cli-'));
  const data = join(root, 'data');
  await generateDataset({ store: new ArrowBarStore(data), calendar: nyse, symbols: ['AAPL', 'MSFT'], from: '2024-02-26', to: '2024-03-06', seed: 3 });
  return { root, data };
}

test('tapedeck backtest --strategy runs the TypeScript example over a date range and writes its results', async (t) => {
  const { root, data } = await dataDir();
  try {
    const out = join(root, 'results');
    const args = ['backtest', '--strategy', 'examples/sma-cross.ts', '--from', '2024-03-04', '--to', '2024-03-06', '--data', data, '--param', 'fast=5', '--param', 'slow=12', '--run-dir', join(root, 'run')];
    const json = await runCli([...args, '--commission', '0.005/share,min=1', '--out', out, '--json']);
    t.is(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    t.deepEqual(report.params, { fast: 5, slow: 12, size: 100 });
    t.deepEqual(report.config.commission, { perShare: 0.005, minimum: 1 });
    t.deepEqual(report.config.warmupDays, ['2024-02-26', '2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    t.deepEqual(report.days.map((d: { date: string }) => d.date), ['2024-03-04', '2024-03-05', '2024-03-06']);
    t.true(report.metrics.trades > 0);
    t.regex(json.stderr, /day 3\/3 2024-03-06/);
    const written = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    t.deepEqual(written.metrics, report.metrics);
    const fills = (await readFile(join(out, 'fills.csv'), 'utf8')).trim().split('\n');
    t.is(fills[0], 'orderId,symbol,side,qty,price,t,time,commission,reason');
    t.true(fills.length > 1);

    const table = await runCli([...args, '--out', join(root, 'again')]);
    t.is(table.code, 0, table.stderr);
    t.regex(table.stdout, /total return/);
    t.regex(table.stdout, /final equity/);
    t.regex(table.stdout, /Results in .*again: report\.html, result\.json, fills\.csv, trades\.csv, equity\.csv\n/);
    t.true(existsSync(join(root, 'again', 'report.html')));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a strategy run refuses an unknown param and a missing file as usage errors', async (t) => {
  const { root, data } = await dataDir();
  try {
    const unknown = await runCli(['backtest', '--strategy', 'examples/sma-cross.ts', '--from', '2024-03-04', '--data', data, '--param', 'nope=1', '--out', join(root, 'x'), '--run-dir', join(root, 'run'), '--json']);
    t.is(unknown.code, 2);
    t.is(JSON.parse(unknown.stdout).error.code, 'UNKNOWN_PARAM');
    const missing = await runCli(['backtest', '--strategy', join(root, 'none.ts'), '--from', '2024-03-04', '--data', data, '--run-dir', join(root, 'run')]);
    t.is(missing.code, 2);
    t.regex(missing.stderr, /No strategy file/);
    const oneDay = await runCli(['backtest', '--from', '2024-03-04', '--data', data]);
    t.is(oneDay.code, 2);
    t.regex(oneDay.stderr, /needs --date and --symbols/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the installed command, plain node without tsx, runs a TypeScript strategy file and a sweep in its threads', async (t) => {
  // The package's bin as installed: `npm ci` builds dist/ (the prepare script) before the tests run.
  t.true(existsSync(INSTALLED_BIN), 'dist/ is built: run npm run build');
  const installed = (args: string[]) => runCli(args, cliEnv(), { installed: true });
  const { root, data } = await dataDir();
  try {
    const version = await installed(['--version']);
    t.is(version.stdout.trim(), JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
    const run = await installed(['backtest', '--strategy', 'examples/sma-cross.ts', '--from', '2024-03-05', '--data', data, '--out', join(root, 'out'), '--run-dir', join(root, 'run'), '--json']);
    t.is(run.code, 0, run.stderr);
    t.is(JSON.parse(run.stdout).config.strategy, 'sma-cross');
    // The pool's threads load the worker file that sits beside the pool's own code in the build.
    const sweep = await installed(['sweep', '--strategy', 'examples/sma-cross.ts', '--from', '2024-03-05', '--to', '2024-03-06', '--param', 'fast=4,6', '--workers', '2', '--data', data, '--out', join(root, 'sweep'), '--json']);
    t.is(sweep.code, 0, sweep.stderr);
    const points = (JSON.parse(sweep.stdout) as { points: Array<{ params: { fast: number }; metrics?: unknown }> }).points;
    t.deepEqual(points.map((point) => point.params.fast), [4, 6]);
    t.true(points.every((point) => point.metrics !== undefined));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
