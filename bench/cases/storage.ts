import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { generateDayBars, importCsv, LowdbBarStore, nyse } from 'tapedeck';
import { report, summarize } from '../measure.js';
import { DATE, tradingSession } from '../replay-day.js';

const READS = 200;
const CSV_ROWS = 1_000_000;
const CSV_RUNS = 3;

/** Case 6: one symbol-day from a LowdbBarStore (cold and cached), and CSV import rows/s. */
export async function storage(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-bench-'));
  try {
    await getBars(dir);
    await csvImport(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function getBars(dir: string): Promise<void> {
  const days = nyse.tradingDays('2024-03-01', '2024-03-28');
  const writer = new LowdbBarStore(dir);
  for (const date of days) await writer.putBars('AAPL', '1m', generateDayBars('AAPL', nyse.session(date)!, { seed: 3 }));
  const cold: number[] = [];
  const warm: number[] = [];
  const cached = new LowdbBarStore(dir);
  for (let i = 0; i < READS; i++) {
    const fresh = new LowdbBarStore(dir);
    let started = performance.now();
    const bars = await fresh.getBars('AAPL', '1m', tradingSession.open, tradingSession.close);
    cold.push(performance.now() - started);
    started = performance.now();
    await cached.getBars('AAPL', '1m', tradingSession.open, tradingSession.close);
    warm.push(performance.now() - started);
    if (bars.length < 380) throw new Error(`expected a day of bars, got ${bars.length}`);
  }
  const params = { month: `${days.length} trading days of 1m bars in one file`, date: DATE };
  report('getBars', { ...params, read: 'first read (new store: stat, read, parse)' }, { unit: 'ms', ...summarize(cold), target: { p99: 5 } });
  report('getBars', { ...params, read: 'cached (file unchanged)' }, { unit: 'ms', ...summarize(warm), target: { p99: 5 } });
}

async function csvImport(dir: string): Promise<void> {
  const file = path.join(dir, 'bars.csv');
  await writeCsv(file, CSV_ROWS);
  const rates: number[] = [];
  for (let run = 0; run < CSV_RUNS; run++) {
    const store = new LowdbBarStore(path.join(dir, `store-${run}`));
    const started = performance.now();
    const result = await importCsv({ file, symbol: 'BULK', store });
    const seconds = (performance.now() - started) / 1000;
    if (result.imported !== CSV_ROWS) throw new Error(`imported ${result.imported} of ${CSV_ROWS}`);
    rates.push(CSV_ROWS / seconds);
  }
  report('csv-import', { rows: CSV_ROWS, times: 'ISO 8601 UTC', store: 'LowdbBarStore' }, { unit: 'rows/s', ...summarize(rates, 0), p99: undefined, slowest: Math.round(Math.min(...rates)), target: 300_000 });
}

/** Consecutive minutes, every day of the week, so the file is a plain million rows. */
export async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('timestamp,open,high,low,close,volume\n');
  const start = Date.UTC(2023, 0, 2, 14, 30);
  let price = 100;
  for (let i = 0; i < rows; i++) {
    price = Math.max(1, price + (((i * 7919) % 13) - 6) / 100);
    const line = `${new Date(start + i * 60_000).toISOString()},${price.toFixed(2)},${(price + 0.1).toFixed(2)},${(price - 0.1).toFixed(2)},${price.toFixed(2)},${100 + (i % 50)}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
