import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateDayBars } from 'tapedeck';
import { report, summarize } from '../measure.js';
import { CLI, GNU_TIME, requireBuilt, timeProcess } from '../timed-process.js';
import { tradingSession } from '../replay-day.js';
import { writeCsv } from './storage.js';

const FILES = 500;
const BIG_ROWS = 1_000_000;
const RUNS = 5;

/**
 * Case 10: `tapedeck data import` as a user runs it, one command each: a folder of 500
 * one-symbol CSV files of one day (the replay day's 195,000 bars), and one file of a million
 * rows (consecutive minutes over 694 UTC days, so 694 partitions written). Rows per second
 * from process start to exit, into a new Arrow store each run, with CPU time, peak RSS and the
 * load average the runs saw. Runs the built CLI (`npm run build` first).
 */
export async function csvImportCli(): Promise<void> {
  requireBuilt(CLI);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-bench-import-'));
  try {
    const folder = path.join(dir, 'csv');
    await mkdir(folder);
    let folderRows = 0;
    for (let i = 0; i < FILES; i++) {
      const symbol = `S${String(i).padStart(3, '0')}`;
      const bars = generateDayBars(symbol, tradingSession, { seed: 1 });
      folderRows += bars.length;
      await writeFile(path.join(folder, `${symbol}.csv`), `timestamp,open,high,low,close,volume\n${bars.map((b) => `${new Date(b.t).toISOString()},${b.o},${b.h},${b.l},${b.c},${b.v}`).join('\n')}\n`);
    }
    const big = path.join(dir, 'big.csv');
    await writeCsv(big, BIG_ROWS);

    await timeImports(dir, 'csv-import-folder', { files: FILES, rows: folderRows, times: 'ISO 8601 UTC', layout: 'one symbol a file, named after it' }, folderRows, [folder]);
    await timeImports(dir, 'csv-import-one-file', { files: 1, rows: BIG_ROWS, times: 'ISO 8601 UTC', partitions: 694 }, BIG_ROWS, [big, '--symbol', 'BULK']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function timeImports(dir: string, name: string, params: Record<string, unknown>, rows: number, args: string[]): Promise<void> {
  const rates: number[] = [];
  const cpus: number[] = [];
  const systems: number[] = [];
  const peaks: number[] = [];
  const loads: number[] = [];
  const stores: string[] = [];
  // One run first, untimed: the OS file cache then holds the modules and the files.
  for (let i = -1; i < RUNS; i++) {
    const data = path.join(dir, `data-${name}-${i}`);
    stores.push(data);
    const { wallMs, cpuMs, systemMs, peakMb, stdout } = await timeProcess([CLI, 'data', 'import', ...args, '--data', data, '--json']);
    const imported = JSON.parse(stdout) as { rows: number };
    if (imported.rows !== rows) throw new Error(`${name}: imported ${imported.rows} rows of ${rows}`);
    if (i < 0) continue;
    rates.push(rows / (wallMs / 1000));
    if (cpuMs !== undefined) cpus.push(cpuMs);
    if (systemMs !== undefined) systems.push(systemMs);
    if (peakMb !== undefined) peaks.push(peakMb);
    loads.push(os.loadavg()[0]!);
  }
  // Removed only now: ext4 without a journal (this VM's) passes over every inode freed in the
  // last minute before it reuses one, so a store of 1,400 files deleted just before the next
  // run made each of that run's inodes cost ~1 ms of kernel time, a second in all that a new
  // store on a disk that did not just delete one never pays.
  for (const data of stores) await rm(data, { recursive: true, force: true });
  const nodeStart = await nodeStartMs();
  report(name, { ...params, store: 'arrow', measured: 'spawn to exit, one command' }, {
    unit: 'rows/s',
    ...summarize(rates, 0),
    p99: undefined,
    slowest: Math.round(Math.min(...rates)),
    fastest: Math.round(Math.max(...rates)),
    target: 500_000,
    cpu: cpus.length ? { unit: 'ms user+sys', ...summarize(cpus, 0), fastest: Math.min(...cpus), slowest: Math.max(...cpus) } : { unavailable: `${GNU_TIME} not found` },
    // The kernel's share: making each partition's folder, lock and file, which bounds a file of many days.
    systemCpu: systems.length ? { unit: 'ms sys', ...summarize(systems, 0) } : { unavailable: `${GNU_TIME} not found` },
    peakRss: peaks.length ? { unit: 'MB', ...summarize(peaks, 1) } : { unavailable: `${GNU_TIME} not found` },
    loadAverage: { min: Math.min(...loads), max: Math.max(...loads) },
    // What starting Node alone costs here (NODE_EXTRA_CA_CERTS, when set, adds ~50 ms to it): part of every run, none of it the import's.
    nodeStart: { unit: 'ms wall, node -e 0', ...summarize(nodeStart, 0) },
  });
}

async function nodeStartMs(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).on('error', reject).on('close', () => resolve()));
    times.push(performance.now() - started);
  }
  return times;
}
