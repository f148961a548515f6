import { InvalidArgumentError, type Command } from 'commander';
import Table from 'cli-table3';
import path from 'node:path';
import type { CommissionModel } from '../../broker/commission.js';
import { isRunError } from '../../run/run-error.js';
import { DEFAULT_QUEUE_NAME } from '../../sweep/queue-name.js';
import { startQueueWorker } from '../../sweep/queue-worker.js';
import { runSweep } from '../../sweep/run-sweep.js';
import { isSweepError } from '../../sweep/sweep-error.js';
import { parseGridAxis, type GridAxis } from '../../sweep/param-grid.js';
import { assertRankMetric, type RankMetric } from '../../sweep/sweep-rank.js';
import type { SweepProgress, SweepResult } from '../../sweep/sweep-result.js';
import { assertStoreReadable, storeOption, type StoreKind } from '../bar-store-option.js';
import { CliError, EXIT_PARTIAL, EXIT_USAGE } from '../cli-error.js';
import { fail, heading, note, ok } from '../messages.js';
import { parseSymbols } from '../option-parsers.js';
import { duration } from '../time-format.js';
import { parseAmount, parseCommission } from '../strategy-option-parsers.js';
import { wallClockStamp } from './strategy-backtest.js';

interface SweepOptions {
  strategy: string;
  from: string;
  to?: string;
  param: GridAxis[];
  symbols?: string[];
  workers?: number;
  chunks?: number;
  rank: RankMetric;
  top: number;
  heatmap?: [string, string];
  out?: string;
  queue?: string;
  queueName: string;
  queueTimeout: number;
  cash: number;
  commission?: CommissionModel;
  slippage?: number;
  data: string;
  store: StoreKind;
  json?: boolean;
}

interface WorkerOptions {
  queue: string;
  queueName: string;
  data: string;
  store: StoreKind;
  threads?: number;
  lockMs: number;
  queueTimeout: number;
}

// Codes that mean what was typed is wrong (exit 2); the queue's are runtime failures (exit 1).
const USAGE_CODES = new Set(['INVALID_GRID', 'INVALID_OPTION', 'NO_STRATEGY_FILE', 'INVALID_STRATEGY', 'UNKNOWN_PARAM', 'NO_TRADING_DAYS']);

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('run a strategy once per parameter set of a grid: on every core, or on tapedeck workers anywhere through Redis (--queue)')
    .requiredOption('--strategy <file>', 'a strategy file (.ts or .js) whose default export is defineStrategy({ … })')
    .requiredOption('--from <YYYY-MM-DD>', 'the first trading day')
    .option('--to <YYYY-MM-DD>', 'the last trading day (default: --from)')
    .option('--param <name=values>', 'a grid axis: fast=5..30:5 (from..to:step) or slow=20,40,60 (repeatable)', collectAxis, [] as GridAxis[])
    .option('--symbols <list>', "symbols instead of the strategy's own, e.g. AAPL,MSFT", parseSymbols)
    .option('--workers <n>', 'worker threads (default: the cores)', parseWhole)
    .option('--chunks <n>', "date chunks per parameter set, for a strategy with carry: 'none' (default: enough to fill the threads)", parseWhole)
    .option('--rank <metric>', 'the metric to rank by: sharpe, totalReturn, maxDrawdown, …', parseRank, 'sharpe' as RankMetric)
    .option('--top <n>', 'rows of the ranked table', parseWhole, 10)
    .option('--heatmap <x,y>', "sweep.html's heatmap params (default: the first two axes with several values)", parsePair)
    .option('--out <dir>', 'results folder (default results/<date-time>-<name>-sweep/)')
    .option('--queue <redis-url>', 'enqueue the jobs on Redis (redis://host:6379) for `tapedeck worker`s and wait for them')
    .option('--queue-name <name>', 'with --queue: the queue the workers listen on', DEFAULT_QUEUE_NAME)
    .option('--queue-timeout <seconds>', 'with --queue: how long Redis may not answer before the sweep fails', parseWhole, 30)
    .option('--cash <n>', 'starting cash', parseAmount, 100_000)
    .option('--commission <model>', 'e.g. 0.005/share,min=1 or 0.1%', parseCommission)
    .option('--slippage <bps>', 'slippage in basis points, against the trader', parseAmount)
    .option('--data <dir>', 'bar store directory (with --queue: only checked here; each worker reads its own --data)', './data')
    .addOption(storeOption())
    .option('--json', 'print the sweep (every parameter set and its metrics) as one JSON document; progress goes to stderr')
    .action(sweepCommand);

  program
    .command('worker')
    .description('take sweep jobs from Redis and run them on this machine\'s cores, until stopped (Ctrl-C)')
    .requiredOption('--queue <redis-url>', 'the Redis the sweep enqueues on, e.g. redis://10.0.0.5:6379')
    .option('--queue-name <name>', 'the queue to listen on', DEFAULT_QUEUE_NAME)
    .option('--data <dir>', "this machine's bar store: a shared folder or its own copy of the same bars", './data')
    .addOption(storeOption())
    .option('--threads <n>', 'jobs at once (default: the cores)', parseWhole)
    .option('--lock-ms <ms>', "a job's lock: a worker that died hands its jobs on after one to two of these", parseWhole, 30_000)
    .option('--queue-timeout <seconds>', 'how long Redis may not answer at the start before the worker gives up', parseWhole, 30)
    .action(workerCommand);
}

async function sweepCommand(options: SweepOptions): Promise<void> {
  if (options.param.length === 0) throw new CliError('USAGE_ERROR', 'A sweep needs at least one --param axis, e.g. --param fast=5..30:5. Add --help for usage.', { exitCode: EXIT_USAGE });
  if (options.queue === undefined) await assertStoreReadable(options.store, options.data);
  const progress = options.json ? process.stderr : process.stdout;
  const out = options.out ?? path.join('results', `${wallClockStamp()}-${path.basename(options.strategy).replace(/\.[cm]?[jt]s$/, '')}-sweep`);
  let result: SweepResult;
  try {
    result = await runSweep({
      strategy: options.strategy,
      from: options.from,
      to: options.to ?? options.from,
      grid: options.param,
      data: options.data,
      store: options.store,
      cash: options.cash,
      rank: options.rank,
      out,
      ...(options.symbols ? { symbols: options.symbols } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
      ...(options.chunks ? { chunks: options.chunks } : {}),
      ...(options.heatmap ? { heatmap: options.heatmap } : {}),
      ...(options.commission ? { commission: options.commission } : {}),
      ...(options.slippage !== undefined ? { slippage: { bps: options.slippage } } : {}),
      ...(options.queue ? { queue: options.queue, queueName: options.queueName, queueTimeoutMs: options.queueTimeout * 1000 } : {}),
      onProgress: (p) => progress.write(`${note(progressLine(p))}\n`),
    });
  } catch (error) {
    if (isSweepError(error) || isRunError(error)) throw new CliError(error.code, error.message, USAGE_CODES.has(error.code) ? { exitCode: EXIT_USAGE } : {});
    throw error;
  }
  if (options.json) {
    const { points, ...sweep } = result;
    const document = { ...sweep, ranked: result.ranked.map((p) => p.point), failed: result.failed.map((p) => p.point), points: points.map(({ run, ...p }) => ({ ...p, ...(run ? { metrics: run.metrics } : {}) })), out };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    process.stdout.write(`${heading(`${result.strategy} sweep · ${result.from} → ${result.to} · ${result.points.length} parameter sets · ${result.jobs} jobs`)}\n`);
    if (result.ranked.length > 0) process.stdout.write(`${rankedTable(result, options.top)}\n`);
    for (const failed of result.failed) process.stdout.write(`${fail(`${paramText(failed.params, result.grid)}: ${failed.error.code}: ${failed.error.message}`)}\n`);
    process.stdout.write(`${note(`Results in ${out}: sweep.html, sweep.json, sweep.csv, runs/<n>/result.json`)}\n`);
  }
  if (result.failed.length === 0) return;
  const summary = `${result.failed.length} of ${result.points.length} parameter sets failed`;
  if (result.ranked.length === 0) throw new CliError('SWEEP_FAILED', `Nothing ran: ${summary}. ${result.failed[0]!.error.message}`, { silent: options.json ?? false });
  throw new CliError('SWEEP_PARTIAL', `${summary}: ${result.failed.map((p) => paramText(p.params, result.grid)).join('; ')}.`, { exitCode: EXIT_PARTIAL, silent: options.json ?? false });
}

async function workerCommand(options: WorkerOptions): Promise<void> {
  await assertStoreReadable(options.store, options.data);
  let worker;
  let lastError = '';
  try {
    worker = await startQueueWorker({
      url: options.queue,
      name: options.queueName,
      data: options.data,
      store: options.store,
      lockMs: options.lockMs,
      connectTimeoutMs: options.queueTimeout * 1000,
      ...(options.threads ? { threads: options.threads } : {}),
      onJob: (event, id) => process.stdout.write(`${note(`${event} ${id}`)}\n`),
      // While Redis is away BullMQ reports every reconnection attempt: one line per new message.
      onError: (error) => {
        if (error.message !== lastError) process.stderr.write(`${fail(`queue: ${error.message}`)}\n`);
        lastError = error.message;
      },
    });
  } catch (error) {
    if (isSweepError(error)) throw new CliError(error.code, error.message, USAGE_CODES.has(error.code) ? { exitCode: EXIT_USAGE } : {});
    throw error;
  }
  process.stdout.write(`${ok(`worker ready · ${options.queue} · queue ${options.queueName} · ${worker.threads} threads · store ${options.data}`)}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write(`${note('stopping: finishing the jobs in hand')}\n`);
  await worker.close();
}

function progressLine(p: SweepProgress): string {
  const eta = p.etaMs === undefined || p.done === p.total ? '' : ` · ETA ${duration(p.etaMs)}`;
  return `jobs ${p.done}/${p.total}${p.failed > 0 ? ` · ${p.failed} failed` : ''}${eta}`;
}

function rankedTable(result: SweepResult, top: number): string {
  const axes = result.grid.map((axis) => axis.name);
  const table = new Table({ head: ['#', ...axes, result.rank, 'total return', 'max drawdown', 'trades'], style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (const [i, p] of result.ranked.slice(0, top).entries()) {
    const m = p.run.metrics;
    table.push([i + 1, ...axes.map((name) => String(p.params[name])), shown(m[result.rank]), shown(m.totalReturn), shown(m.maxDrawdown), m.trades]);
  }
  return table.toString();
}

function shown(value: number | null): string {
  return value === null ? '—' : String(Number(value.toFixed(4)));
}

function paramText(params: Record<string, unknown>, grid: GridAxis[]): string {
  return grid.map((axis) => `${axis.name}=${String(params[axis.name])}`).join(' ');
}

function collectAxis(value: string, previous: GridAxis[]): GridAxis[] {
  try {
    return [...previous, parseGridAxis(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function parseWhole(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`Use a whole number ≥ 1 (not ${JSON.stringify(value)}).`);
  return n;
}

function parseRank(value: string): RankMetric {
  try {
    return assertRankMetric(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function parsePair(value: string): [string, string] {
  const names = value.split(',').map((name) => name.trim());
  if (names.length !== 2 || names.some((name) => name === '')) throw new InvalidArgumentError(`Use two params, e.g. fast,slow (not ${JSON.stringify(value)}).`);
  return names as [string, string];
}
