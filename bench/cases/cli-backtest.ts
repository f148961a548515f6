import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArrowBarStore, generateDayBars, type Bar } from 'tapedeck';
import { report, summarize } from '../measure.js';
import { CLI, GNU_TIME, requireBuilt, timeProcess } from '../timed-process.js';
import { DATE, tradingSession } from '../replay-day.js';

const SYMBOLS = 500;
const RUNS = 5;

/**
 * Case 8: what a user waits for. `tapedeck backtest` of 500 symbols' day, 1m and 5m, at full
 * speed from the Arrow store, timed from process start to the printed summary, with the
 * process's peak RSS. Runs the built CLI (`npm run build` first), as a user would.
 */
export async function cliBacktest(): Promise<void> {
  requireBuilt(CLI);
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
