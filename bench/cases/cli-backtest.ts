import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArrowBarStore, generateDayBars, type Bar } from 'tapedeck';
import { report, summarize } from '../measure.js';
import { DATE, tradingSession } from '../replay-day.js';

const SYMBOLS = 500;
const RUNS = 5;
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** GNU time reports the child's peak RSS (`%M`, kB) and CPU seconds from wait4, which no Node API exposes. */
const GNU_TIME = '/usr/bin/time';

/**
 * Case 8: what a user waits for. `tapedeck backtest` of 500 symbols' day, 1m and 5m, at full
 * speed from the Arrow store, timed from process start to the printed summary, with the
 * process's peak RSS. Runs the built CLI (`npm run build` first), as a user would.
 */
export async function cliBacktest(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first.`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-bench-cli-'));
  try {
    const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const day = new Map<string, Bar[]>(symbols.map((symbol) => [symbol, generateDayBars(symbol, tradingSession, { seed: 1 })]));
    const bars = [...day.values()].reduce((sum, series) => sum + series.length, 0);
    const data = path.join(dir, 'data');
    await new ArrowBarStore(data).putManyBars('1m', day);
    const args = [CLI, 'backtest', '--date', DATE, '--symbols', symbols.join(','), '--streams', '1m,5m', '--speed', 'max', '--data', data, '--run-dir', path.join(dir, 'run'), '--json'];

    const walls: number[] = [];
    const peaks: number[] = [];
    const cpus: number[] = [];
    // One run first, untimed: the OS file cache then holds the modules and the day, as on a user's second run.
    for (let i = -1; i < RUNS; i++) {
      const { wallMs, peakMb, cpuMs, stdout } = await timeProcess(args);
      JSON.parse(stdout);
      if (i < 0) continue;
      walls.push(wallMs);
      if (peakMb !== undefined) peaks.push(peakMb);
      if (cpuMs !== undefined) cpus.push(cpuMs);
    }
    report(
      'cli-backtest',
      { symbols: SYMBOLS, bars, streams: ['1m', '5m'], date: DATE, store: 'arrow', speed: 'max', measured: 'spawn to exit, summary printed' },
      {
        wall: { unit: 'ms', ...summarize(walls, 1), fastest: Number(Math.min(...walls).toFixed(1)), slowest: Number(Math.max(...walls).toFixed(1)), target: { median: 500 } },
        // On a shared machine wall time counts the neighbours' load too; CPU time much less so.
        cpu: cpus.length ? { unit: 'ms user+sys', ...summarize(cpus, 0), fastest: Math.min(...cpus), slowest: Math.max(...cpus) } : { unit: 'ms', unavailable: `${GNU_TIME} not found` },
        loadAverage: os.loadavg()[0],
        peakRss: peaks.length ? { unit: 'MB', ...summarize(peaks, 1), fastest: Math.min(...peaks), slowest: Math.max(...peaks), target: { median: 200 } } : { unit: 'MB', unavailable: `${GNU_TIME} not found` },
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function timeProcess(args: string[]): Promise<{ wallMs: number; peakMb?: number; cpuMs?: number; stdout: string }> {
  const timed = existsSync(GNU_TIME);
  const [command, commandArgs] = timed ? [GNU_TIME, ['-f', 'cpu-s=%U+%S peak-rss-kb=%M', process.execPath, ...args]] : [process.execPath, args];
  const started = performance.now();
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`tapedeck backtest exited with ${code}: ${stderr.slice(-500)}`);
  const usage = /cpu-s=([\d.]+)\+([\d.]+) peak-rss-kb=(\d+)\s*$/.exec(stderr);
  if (!usage) return { wallMs, stdout };
  return { wallMs, cpuMs: Math.round((Number(usage[1]) + Number(usage[2])) * 1000), peakMb: Number((Number(usage[3]) / 1024).toFixed(1)), stdout };
}
