import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArrowBarStore, generateDayBars, type Bar } from 'tapedeck';
import { report, summarize } from '../measure.js';
import { isMainModule } from '../own-process.js';
import { DATE, tradingSession } from '../replay-day.js';

const SYMBOLS = 500;
const READS = 20;
/** Reads before the timed ones, so the first layout read does not also pay for compiling the read path. */
const WARMUP = 3;

/**
 * Case 7: the Arrow store. A session day of 500 symbols' 1m bars read in one batch by a new
 * store each time (the files in the OS cache, as on a second run), writes of that day in one
 * batch and symbol by symbol, and the bytes on disk per bar. `npm run bench` runs it in a process
 * of its own: in the bench's shared process, what earlier cases left in the heap made V8 collect
 * during most reads in some runs (a median of 21 ms in one, 9-13 ms in others).
 */
export async function arrowStore(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-bench-arrow-'));
  try {
    const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const day = new Map<string, Bar[]>(symbols.map((symbol) => [symbol, generateDayBars(symbol, tradingSession, { seed: 1 })]));
    const bars = [...day.values()].reduce((sum, series) => sum + series.length, 0);
    const params = { symbols: SYMBOLS, bars, interval: '1m', date: DATE };

    let started = performance.now();
    await new ArrowBarStore(path.join(dir, 'batch')).putManyBars('1m', day);
    const batchSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const oneByOne = new ArrowBarStore(path.join(dir, 'one-by-one'));
    for (const [symbol, series] of day) await oneByOne.putBars(symbol, '1m', series);
    const oneByOneSeconds = (performance.now() - started) / 1000;
    report('arrow-store-write', { ...params, write: 'one putManyBars of all symbols' }, { unit: 'bars/s', value: Math.round(bars / batchSeconds) });
    report('arrow-store-write', { ...params, write: `${SYMBOLS} putBars, one per symbol` }, { unit: 'bars/s', value: Math.round(bars / oneByOneSeconds) });
    for (const layout of ['batch', 'one-by-one']) {
      const partition = path.join(dir, layout, '1m', DATE);
      const files = await readdir(partition);
      const bytes = (await Promise.all(files.map(async (name) => (await stat(path.join(partition, name))).size))).reduce((sum, size) => sum + size, 0);
      report('arrow-store-size', { ...params, written: layout, segments: files.length }, { unit: 'bytes/bar', value: Number((bytes / bars).toFixed(1)) });
    }

    for (const layout of ['batch', 'one-by-one']) {
      const times: number[] = [];
      for (let i = -WARMUP; i < READS; i++) {
        const store = new ArrowBarStore(path.join(dir, layout));
        const begun = performance.now();
        const columns = await store.getManyBarColumns(symbols, '1m', tradingSession.open, tradingSession.close);
        if (i >= 0) times.push(performance.now() - begun);
        const read = [...columns.values()].reduce((sum, series) => sum + series.length, 0);
        if (read !== bars) throw new Error(`read ${read} of ${bars} bars`);
      }
      const segments = (await readdir(path.join(dir, layout, '1m', DATE))).length;
      report('arrow-store-read-day', { ...params, written: layout, segments, read: 'getManyBarColumns, new store each read' }, { unit: 'ms', ...summarize(times), fastest: Number(Math.min(...times).toFixed(3)), slowest: Number(Math.max(...times).toFixed(3)), loadAverage: os.loadavg()[0], target: { median: 20 } });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) await arrowStore();
