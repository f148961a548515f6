import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CommissionModel } from '../broker/commission.js';
import type { SlippageModel } from '../broker/slippage.js';
import { nyse } from '../calendar/nyse.js';
import type { Metrics } from '../metrics/compute-metrics.js';
import { RunError } from '../run/run-error.js';
import { resolveParams } from '../run/strategy-params.js';
import type { StoreKind } from '../storage/bars/open-bar-store.js';
import { mergeChunks, splitDays } from './date-chunks.js';
import { DEFAULT_QUEUE_NAME } from './queue-name.js';
import { failureOf } from './job-runner.js';
import { expandGrid, parseGridAxis, type GridAxis } from './param-grid.js';
import { SweepError } from './sweep-error.js';
import { writeSweepFiles } from './sweep-files.js';
import { decodeOutcome, type JobFailure, type JobOutcome, type RunSpec, type SweepJob, type SweepRun } from './sweep-job.js';
import type { SweepPoint, SweepProgress, SweepResult } from './sweep-result.js';
import { assertRankMetric, compareBy, type RankMetric } from './sweep-rank.js';
import { importStrategyFile, strategyFileHash } from './strategy-module.js';
import type { ThreadPool } from './thread-pool.js';

export interface RunSweepOptions {
  /** The strategy file (`.ts` or `.js`) whose default export is `defineStrategy({ … })`. */
  strategy: string;
  from: string;
  to: string;
  /** Axes, or their text: `fast=5..30:5`, `slow=20,40,60`. Params not in the grid keep their defaults. */
  grid: ReadonlyArray<GridAxis | string>;
  /** The bar store's folder; every worker opens its own handle on it (or on its own copy). */
  data: string;
  store?: StoreKind;
  symbols?: string[];
  /** Default 100 000. */
  cash?: number;
  commission?: CommissionModel;
  slippage?: SlippageModel;
  /** Pool threads; default: the cores. Ignored with `queue`: the workers decide. */
  workers?: number;
  /**
   * For a strategy with `carry: 'none'` (and no `result` hook): date chunks per parameter set.
   * Default: enough to give every thread a job when the grid alone does not.
   */
  chunks?: number;
  /** Default `sharpe`. */
  rank?: RankMetric;
  /** The two params of the heatmap in `sweep.html`; default: the first two axes with more than one value. */
  heatmap?: [string, string];
  /** A folder for the results: one `runs/<n>/result.json` per parameter set, `sweep.json`, `sweep.csv`, `sweep.html`. */
  out?: string;
  /** `redis://host:6379`: enqueue the jobs on BullMQ for `tapedeck worker`s instead of running them here. */
  queue?: string;
  queueName?: string;
  /** With `queue`: how long Redis may not answer before the sweep fails; default 30 s. */
  queueTimeoutMs?: number;
  onProgress?(progress: SweepProgress): void;
}

/**
 * Runs a strategy once per parameter set of a grid: in a pool of worker threads, or as BullMQ
 * jobs for `tapedeck worker`s on any number of machines. Every job is a pure function of its
 * parameters and the store, so the results are the same however many workers ran them.
 * README, "Sweeps".
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepResult> {
  const file = path.resolve(options.strategy);
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    throw new SweepError('NO_STRATEGY_FILE', `No strategy file at ${options.strategy}: give the path of a .ts or .js file whose default export is defineStrategy({ … }).`, { file: options.strategy });
  }
  // The threads start first: each loads the engine and the strategy while this one plans the
  // jobs. The pool's module (and piscina) loads here, not with tapedeck: most processes never sweep.
  const pool = options.queue === undefined ? new (await import('./thread-pool.js')).ThreadPool({ store: options.store ?? 'arrow', data: options.data, strategyFile: file, ...(options.workers !== undefined ? { threads: options.workers } : {}) }) : undefined;
  let plan: SweepPlan;
  let outcomes: JobOutcome[];
  try {
    plan = await planSweep(options, file);
    outcomes = await runJobs(plan.jobs, options, pool);
  } finally {
    await pool?.close();
  }

  const { strategy, days, grid, params, rank, heatmap, chunks, ranges, jobs, run } = plan;
  const points = params.map((resolved, point): SweepPoint => {
    const own = outcomes.slice(point * ranges.length, (point + 1) * ranges.length);
    const failure = own.find((outcome) => 'error' in outcome);
    if (failure && 'error' in failure) return { point, params: resolved, error: failure.error };
    const runs = own.map((outcome) => (outcome as { run: SweepRun }).run);
    try {
      return { point, params: resolved, run: runs.length === 1 ? runs[0]! : mergeChunks(runs, run.cash) };
    } catch (error) {
      return { point, params: resolved, error: failureOf(error) };
    }
  });
  const result: SweepResult = {
    strategy: strategy.name,
    from: days[0]!,
    to: days.at(-1)!,
    grid,
    rank,
    chunks,
    jobs: jobs.length,
    points,
    ranked: points.filter((p): p is SweepPoint & { run: SweepRun } => p.run !== undefined).sort((a, b) => compareBy(rank)(metricsOf(a), metricsOf(b))),
    failed: points.filter((p): p is SweepPoint & { error: JobFailure } => p.error !== undefined),
    ...(heatmap ? { heatmap } : {}),
  };
  if (options.out !== undefined) await writeSweepFiles(options.out, result);
  return result;
}

type SweepPlan = Awaited<ReturnType<typeof planSweep>>;

/** The sweep's jobs, from the options checked against the strategy: a parameter set, or a date chunk of one, each. */
async function planSweep(options: RunSweepOptions, file: string) {
  const strategy = await importStrategyFile(file, options.strategy);
  const days = nyse.tradingDays(options.from, options.to);
  if (days.length === 0) throw new RunError('NO_TRADING_DAYS', `No trading day on ${nyse.name} from ${options.from} to ${options.to}.`, { from: options.from, to: options.to });
  const grid = options.grid.map((axis) => (typeof axis === 'string' ? parseGridAxis(axis) : axis));
  const sets = expandGrid(grid);
  const params = sets.map((set) => resolveParams(strategy.params, set));
  const rank = assertRankMetric(options.rank ?? 'sharpe');
  const heatmap = options.heatmap ?? defaultHeatmap(grid);
  for (const name of heatmap ?? []) {
    if (!grid.some((axis) => axis.name === name)) throw new SweepError('INVALID_OPTION', `The heatmap's param ${name} is not in the grid (${grid.map((a) => a.name).join(', ')}).`, { heatmap });
  }
  const threads = options.workers ?? availableParallelism();
  const chunks = chunkCount(strategy, options.chunks, sets.length, threads, days.length);
  const run: RunSpec = {
    strategyFile: file,
    strategyHash: await strategyFileHash(file),
    cash: options.cash ?? 100_000,
    ...(options.symbols ? { symbols: options.symbols } : {}),
    ...(options.commission ? { commission: options.commission } : {}),
    ...(options.slippage ? { slippage: options.slippage } : {}),
  };
  const ranges = splitDays(days, chunks);
  const jobs: SweepJob[] = sets.flatMap((set, point) =>
    ranges.map((range, chunk) => ({ index: point * ranges.length + chunk, point, params: set, ...range, ...(ranges.length > 1 ? { chunk: { index: chunk, count: ranges.length } } : {}), run })),
  );
  return { strategy, days, grid, params, rank, heatmap, chunks, ranges, jobs, run };
}

/** Every job's outcome, in job order: from the pool, or from the queue's workers when there is no pool. */
async function runJobs(jobs: readonly SweepJob[], options: RunSweepOptions, pool: ThreadPool | undefined): Promise<JobOutcome[]> {
  const outcomes = new Array<JobOutcome>(jobs.length);
  const started = performance.now();
  let done = 0;
  let failed = 0;
  const record = (outcome: JobOutcome) => {
    if (outcomes[outcome.index] !== undefined) return;
    outcomes[outcome.index] = outcome;
    done++;
    if ('error' in outcome) failed++;
    const elapsedMs = performance.now() - started;
    options.onProgress?.({ done, total: jobs.length, failed, elapsedMs, etaMs: (elapsedMs / done) * (jobs.length - done) });
  };
  options.onProgress?.({ done: 0, total: jobs.length, failed: 0, elapsedMs: 0, etaMs: undefined });
  if (pool) {
    await Promise.all(jobs.map(async (job) => record(decodeOutcome(await pool.run(job)))));
  } else {
    // BullMQ and its Redis client load only for a queued sweep: they would be most of what
    // importing tapedeck costs every strategy file and every pool thread.
    const { runOnQueue } = await import('./queue-dispatch.js');
    await runOnQueue(jobs, { url: options.queue!, name: options.queueName ?? DEFAULT_QUEUE_NAME, sweepId: randomBytes(6).toString('hex'), onOutcome: record, ...(options.queueTimeoutMs ? { unreachableMs: options.queueTimeoutMs } : {}) });
  }
  return outcomes;
}

function metricsOf(point: SweepPoint & { run: SweepRun }): { point: number; metrics: Metrics } {
  return { point: point.point, metrics: point.run.metrics };
}

function defaultHeatmap(grid: readonly GridAxis[]): [string, string] | undefined {
  const varying = grid.filter((axis) => axis.values.length > 1);
  return varying.length >= 2 ? [varying[0]!.name, varying[1]!.name] : undefined;
}

/** Chunks only where the strategy promised that days stand alone; by default just enough to fill the threads. */
function chunkCount(strategy: { name: string; carry: 'all' | 'none'; result?: unknown }, asked: number | undefined, points: number, threads: number, days: number): number {
  if (asked !== undefined && (!Number.isSafeInteger(asked) || asked < 1)) {
    throw new SweepError('INVALID_OPTION', `chunks must be a whole number ≥ 1, got ${String(asked)}.`, { chunks: asked });
  }
  // `result(ctx)` sees the whole run's state: a chunk's would not be the run's.
  const splittable = strategy.carry === 'none' && strategy.result === undefined;
  if (!splittable) {
    if (asked !== undefined && asked > 1) {
      throw new SweepError('INVALID_OPTION', `Strategy ${strategy.name} cannot be split into date chunks: only a strategy with carry: 'none' and no result hook can.`, { chunks: asked });
    }
    return 1;
  }
  return Math.min(days, asked ?? Math.max(1, Math.ceil(threads / points)));
}
