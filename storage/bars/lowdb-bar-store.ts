import type { BigIntStats } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInterval, type Bar, type Interval } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import type { BarStore } from '../../model/bar-store.js';
import { assertSeries, normalizeBars, queryWindow } from './bar-store-arguments.js';
import { barsOf, columnsInWindow, columnsOf, concatColumns, mergeBars } from './bar-merge.js';
import { MONTH_FILE, monthOf, monthRange, monthsBetween, parsePartition, partitionPath, stringifyPartition } from './bar-partition.js';
import { DEFAULT_LOCK_TIMINGS, removeOrphanTemps, withWriteLock, writeFileAtomic, type HeldLock, type LockTimings } from './partition-lock.js';
import { assertValidSymbol, isValidSymbol } from '../../model/symbol-name.js';

/** Parsed partitions kept in memory: a month of 1m bars with extended hours is about 1 MB. */
const CACHED_PARTITIONS = 32;
/** Past this many months a query lists the files that exist instead of probing every month. */
const PROBED_MONTHS = 24;

interface CachedPartition {
  /** Identifies one version of the file: every write renames a new file into place. */
  stamp: string;
  series: BarColumns;
}

/**
 * The on-disk `BarStore`: `<dir>/<SYMBOL>/<interval>/<YYYY-MM>.json`, one JSON file per
 * symbol, interval and UTC month (see `bar-partition.ts` for the file). A day's query reads one
 * small file, and a parsed file stays cached until it changes on disk.
 *
 * Any number of stores, in this process or others, may write one directory at once and every
 * bar lands: a write reads, merges and writes its partitions holding its series' (symbol and
 * interval) inter-process lock (`partition-lock.ts`), and makes each new file visible by
 * renaming a temp file of its own over the old one, so a reader, or a writer killed at any
 * moment, only ever leaves the old or the new file.
 */
export class LowdbBarStore implements BarStore {
  readonly dir: string;
  readonly #lockTimings: LockTimings;
  readonly #cache = new Map<string, CachedPartition>();
  /** Per series, the tail of its chain of writes: the lock is per process, so writes in one process queue here. */
  readonly #writes = new Map<string, Promise<void>>();

  constructor(dir: string, options: { lockTimings?: Partial<LockTimings> } = {}) {
    this.dir = path.resolve(dir);
    this.#lockTimings = { ...DEFAULT_LOCK_TIMINGS, ...options.lockTimings };
  }

  async getBars(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<Bar[]> {
    return barsOf(await this.getBarColumns(symbol, interval, startMs, endMs));
  }

  async getBarColumns(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<BarColumnsView> {
    const series = assertSeries(symbol, interval);
    const window = queryWindow(startMs, endMs);
    if (!window) return new BarColumns(0);
    const months = await this.#monthsOverlapping(series.symbol, series.interval, window.start, window.end);
    const parts = await Promise.all(months.map((month) => this.#load(series.symbol, series.interval, month)));
    const found = parts.flatMap((part) => (part ? [columnsInWindow(part, window.start, window.end)] : []));
    return found.length === 1 ? found[0]! : concatColumns(found);
  }

  async putBars(symbol: string, interval: Interval, bars: Bar[]): Promise<void> {
    const series = assertSeries(symbol, interval);
    const incoming = normalizeBars(bars);
    const batches: Array<{ month: string; bars: Bar[] }> = [];
    for (let from = 0; from < incoming.length; ) {
      // Bars are sorted: a month's batch runs until the first bar at or past its end.
      const month = monthOf(incoming[from]!.t);
      const end = monthRange(month).end;
      let to = from + 1;
      while (to < incoming.length && incoming[to]!.t < end) to++;
      batches.push({ month, bars: incoming.slice(from, to) });
      from = to;
    }
    if (batches.length === 0) return;
    // One lock for the series (`<SYMBOL>/<interval>.lock`), however many months the write
    // spans: every writer locks at this grain, and a write takes one lock only.
    const seriesDir = path.join(this.dir, series.symbol, series.interval);
    await this.#exclusive(seriesDir, async () => {
      await mkdir(seriesDir, { recursive: true });
      await withWriteLock(
        seriesDir,
        async (lock) => void (await Promise.all(batches.map((batch) => this.#merge(series.symbol, series.interval, batch.month, batch.bars, lock)))),
        this.#lockTimings,
      );
    });
  }

  /** Symbols that have a folder in the store, sorted. */
  async symbols(): Promise<string[]> {
    return (await listDir(this.dir)).filter((entry) => entry.isDirectory() && isValidSymbol(entry.name)).map((entry) => entry.name).sort();
  }

  async intervals(symbol: string): Promise<Interval[]> {
    const entries = await listDir(path.join(this.dir, assertValidSymbol(symbol)));
    return entries.filter((entry) => entry.isDirectory() && isInterval(entry.name)).map((entry) => entry.name as Interval).sort();
  }

  /** The `YYYY-MM` months that have a file for this symbol and interval, sorted. */
  async months(symbol: string, interval: Interval): Promise<string[]> {
    const series = assertSeries(symbol, interval);
    const entries = await listDir(path.join(this.dir, series.symbol, series.interval));
    return entries.flatMap((entry) => (entry.isFile() && MONTH_FILE.test(entry.name) ? [entry.name.slice(0, 7)] : [])).sort();
  }

  async #monthsOverlapping(symbol: string, interval: Interval, start: number, end: number): Promise<string[]> {
    const first = monthOf(start);
    const last = monthOf(end - 1);
    const span = (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(last.slice(5)) - Number(first.slice(5)) + 1;
    if (span <= PROBED_MONTHS) return monthsBetween(start, end);
    return (await this.months(symbol, interval)).filter((month) => month >= first && month <= last);
  }

  /** Merges `batch` into its month's file, holding the series' `lock`. */
  async #merge(symbol: string, interval: Interval, month: string, batch: Bar[], lock: HeldLock): Promise<void> {
    const file = partitionPath(this.dir, symbol, interval, month);
    await removeOrphanTemps(file);
    const merged = mergeBars((await this.#load(symbol, interval, month)) ?? new BarColumns(0), columnsOf(batch));
    await writeFileAtomic(file, stringifyPartition(symbol, interval, merged), lock);
    this.#remember(file, stampOf(await stat(file, { bigint: true })), merged);
  }

  /** The partition as on disk now, from the cache when the file has not changed; `undefined` when missing. */
  async #load(symbol: string, interval: Interval, month: string): Promise<BarColumns | undefined> {
    const file = partitionPath(this.dir, symbol, interval, month);
    let stamp: string;
    try {
      // Stat before reading: a write landing in between leaves the cache with an older stamp
      // than the file, so the next load reads again rather than trusting stale bars.
      stamp = stampOf(await stat(file, { bigint: true }));
    } catch (error) {
      if (isMissing(error)) {
        this.#cache.delete(file);
        return undefined;
      }
      throw error;
    }
    const cached = this.#cache.get(file);
    if (cached?.stamp === stamp) {
      this.#remember(file, stamp, cached.series);
      return cached.series;
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const series = parsePartition(text, file, { symbol, interval, month });
    this.#remember(file, stamp, series);
    return series;
  }

  /** Least recently used goes first: a Map iterates in insertion order. */
  #remember(file: string, stamp: string, series: BarColumns): void {
    this.#cache.delete(file);
    this.#cache.set(file, { stamp, series });
    if (this.#cache.size > CACHED_PARTITIONS) this.#cache.delete(this.#cache.keys().next().value!);
  }

  /** Runs `work` after every earlier write to `file` in this process has settled. */
  async #exclusive(file: string, work: () => Promise<void>): Promise<void> {
    const result = (this.#writes.get(file) ?? Promise.resolve()).then(work);
    const tail = result.catch(() => undefined);
    this.#writes.set(file, tail);
    try {
      await result;
    } finally {
      if (this.#writes.get(file) === tail) this.#writes.delete(file);
    }
  }
}

/** Inode, size and nanosecond mtime: a rename puts a new inode in place, and a reused one differs in mtime. */
function stampOf(stats: BigIntStats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}`;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

