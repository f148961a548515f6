import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArrowBarStore, generateDataset, nyse, runSweep, silentLogger, runBacktest } from 'tapedeck';
import { importStrategyFile } from '../../sweep/strategy-module.js';
import { median, report, summarize } from '../measure.js';
import { CLI, requireBuilt, timeProcess } from '../timed-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SMA_CROSS = path.join(ROOT, 'examples/sma-cross.ts');
const IDLE = path.join(ROOT, 'bench/strategies/idle.ts');
const SYMBOLS = Array.from({ length: 100 }, (_, i) => `S${String(i).padStart(3, '0')}`);
const FROM = '2024-03-04';
/** 19 trading days from FROM (2024-03-29 is Good Friday). */
const TO = '2024-03-29';
const TINY_DAY = '2024-03-04';
const ROUNDS = 3;

/**
 * Case 10: sweeps. (a) The SMA crossover over a 16-point grid, 100 symbols × 19 days, in a
 * pool of 2 threads against 1: the speed-up, beside what two separate processes achieve.
 * (b) What a job costs beyond its run, in the pool and through BullMQ on a local Redis (one
 * worker process, one thread): a tiny job's marginal wall time in a sweep minus the same run
 * done directly. (c) 1 000 tiny jobs through BullMQ with 2 worker processes: jobs per second.
 */
export async function sweeps(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-bench-sweep-'));
  try {
    const data = path.join(dir, 'data');
    let warmupStart = FROM;
    for (let i = 0; i < 5; i++) warmupStart = nyse.previousTradingDay(warmupStart);
    await generateDataset({ store: new ArrowBarStore(data), calendar: nyse, symbols: SYMBOLS, from: warmupStart, to: TO, seed: 3 });
    await speedUp(dir, data);
    await overheadAndThroughput(dir, data);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `tapedeck sweep` (the built CLI, as a user runs it) with 1 and 2 pool threads, and, as the
 * ceiling two cores allow for the same work, the grid's two halves in two processes of 1
 * thread each at once: no pool, nothing shared but the machine. Rounds alternate the three so
 * a change of load falls on all of them.
 */
async function speedUp(dir: string, data: string): Promise<void> {
  requireBuilt(CLI);
  const grid = ['fast=5..20:5', 'slow=20,30,40,60'];
  const halves = [['fast=5,10', 'slow=20,30,40,60'], ['fast=15,20', 'slow=20,30,40,60']];
  let runs = 0;
  const sweep = (axes: string[], workers: number) =>
    timeProcess([CLI, 'sweep', '--strategy', SMA_CROSS, '--from', FROM, '--to', TO, ...axes.flatMap((axis) => ['--param', axis]), '--symbols', SYMBOLS.join(','), '--workers', String(workers), '--data', data, '--out', path.join(dir, `out-${runs++}`), '--json']);
  const one: number[] = [];
  const two: number[] = [];
  const split: number[] = [];
  const cpu: Record<'one' | 'two' | 'split', number[]> = { one: [], two: [], split: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const single = await sweep(grid, 1);
    one.push(single.wallMs);
    if (single.cpuMs !== undefined) cpu.one.push(single.cpuMs);
    const pooled = await sweep(grid, 2);
    two.push(pooled.wallMs);
    if (pooled.cpuMs !== undefined) cpu.two.push(pooled.cpuMs);
    const started = performance.now();
    const both = await Promise.all(halves.map((axes) => sweep(axes, 1)));
    split.push(performance.now() - started);
    if (both.every((half) => half.cpuMs !== undefined)) cpu.split.push(both.reduce((sum, half) => sum + half.cpuMs!, 0));
  }
  // One pool thread keeps more than one core busy (V8 collects garbage and compiles on helper
  // threads). Two threads need at least the CPU one needs (each also warms its own code), so no
  // pool can do better than the cores over this: the bound the target must fit.
  const coresBusy = cpu.one.length ? median(cpu.one) / median(one) : undefined;
  const wall = (values: number[]) => ({ median: Math.round(median(values)), fastest: Math.round(Math.min(...values)), slowest: Math.round(Math.max(...values)) });
  report(
    'sweep-speedup',
    { command: 'tapedeck sweep (built CLI)', strategy: 'examples/sma-cross.ts', grid, points: 16, symbols: SYMBOLS.length, from: FROM, to: TO, store: 'arrow', rounds: ROUNDS, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))) },
    {
      wallMs: { workers1: wall(one), workers2: wall(two), twoProcessesOfHalfTheGrid: wall(split) },
      cpuMs: { workers1: median(cpu.one), workers2: median(cpu.two), twoProcessesOfHalfTheGrid: median(cpu.split) },
      speedUp: Number((median(one) / median(two)).toFixed(2)),
      speedUpOfTwoProcesses: Number((median(one) / median(split)).toFixed(2)),
      coresBusyWithOneThread: coresBusy === undefined ? undefined : Number(coresBusy.toFixed(2)),
      speedUpAtMost: coresBusy === undefined ? undefined : Number((os.availableParallelism() / coresBusy).toFixed(2)),
      target: { speedUp: 1.7 },
    },
  );
}

async function overheadAndThroughput(dir: string, data: string): Promise<void> {
  // The tiny job run directly, warm: what a job costs without the sweep.
  const idle = await importStrategyFile(IDLE);
  const store = new ArrowBarStore(data);
  const direct: number[] = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    await runBacktest({ strategy: idle, from: TINY_DAY, to: TINY_DAY, store, cash: 100_000, logger: silentLogger });
    direct.push(performance.now() - started);
  }
  const runMs = summarize(direct, 2).median;
  const tiny = (n: number) => [`n=1..${n}`];
  // The marginal cost of a job: (T(150 jobs) − T(50 jobs)) / 100, so what a sweep pays once
  // (starting its threads, importing the strategy, connecting) cancels out.
  const perJob = async (options: { workers?: number; queue?: string }) => {
    const timed = async (n: number) => {
      const started = performance.now();
      const sweep = await runSweep({ strategy: IDLE, from: TINY_DAY, to: TINY_DAY, grid: tiny(n), data, ...options });
      if (sweep.failed.length > 0) throw new Error(`sweep failed: ${sweep.failed[0]!.error.message}`);
      return performance.now() - started;
    };
    await timed(10);
    return ((await timed(150)) - (await timed(50))) / 100;
  };
  const pool = await perJob({ workers: 1 });

  const redis = await startRedis(dir);
  const workers: ChildProcess[] = [];
  try {
    workers.push(await startWorker(redis.url, data));
    const queue = await perJob({ queue: redis.url });
    workers.push(await startWorker(redis.url, data));
    await runSweep({ strategy: IDLE, from: TINY_DAY, to: TINY_DAY, grid: tiny(20), data, queue: redis.url });
    const started = performance.now();
    const many = await runSweep({ strategy: IDLE, from: TINY_DAY, to: TINY_DAY, grid: tiny(1000), data, queue: redis.url });
    const seconds = (performance.now() - started) / 1000;
    if (many.failed.length > 0) throw new Error(`sweep failed: ${many.failed[0]!.error.message}`);
    report(
      'sweep-overhead',
      { job: 'idle strategy, 1 symbol, 1 day', measured: '(T(150 jobs) - T(50 jobs)) / 100 - the run alone', pool: '1 thread', queue: 'BullMQ, local redis-server, 1 worker process × 1 thread', loadavg: os.loadavg().map((x) => Number(x.toFixed(2))) },
      {
        runMs,
        perJobMs: { pool: Number(pool.toFixed(1)), queue: Number(queue.toFixed(1)) },
        overheadMs: { pool: Number((pool - runMs).toFixed(1)), queue: Number((queue - runMs).toFixed(1)) },
        target: { overheadMs: { pool: 30, queue: 60 } },
      },
    );
    report('sweep-queue-throughput', { jobs: 1000, job: 'idle strategy, 1 symbol, 1 day', workers: '2 worker processes × 1 thread', loadavg: os.loadavg().map((x) => Number(x.toFixed(2))) }, { jobsPerSecond: Number((1000 / seconds).toFixed(1)), wallMs: Math.round(seconds * 1000) });
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.exitCode === null ? worker.once('exit', resolve) : resolve(undefined)))));
    redis.process.kill('SIGKILL');
  }
}

async function startRedis(dir: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForLine(child, /Ready to accept connections/);
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

async function startWorker(url: string, data: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=tapedeck-source', '--import', 'tsx', path.join(ROOT, 'cli/main.ts'), 'worker', '--queue', url, '--data', data, '--threads', '1'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  await waitForLine(child, /worker ready/);
  return child;
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}: ${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) resolve();
    });
  });
}
