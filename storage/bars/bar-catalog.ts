import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { SessionError } from '../../model/session-error.js';
import type { StoredInterval } from './arrow-partition.js';
import { removeOrphanTemps, withWriteLock, writeFileAtomic, type HeldLock, type LockTimings } from './partition-lock.js';

/** One symbol and interval: how many bars, on how many UTC days, from which bar to which (open times, epoch ms). */
export interface SeriesSummary {
  bars: number;
  days: number;
  first: number;
  last: number;
}

/** One partition (a UTC day, or a UTC year of daily bars): how many symbols and bars it holds. */
export interface PartitionSummary {
  symbols: number;
  bars: number;
}

/** What the store holds, as `catalog.json` beside the interval folders. */
export interface BarCatalog {
  version: 1;
  series: Record<string, Partial<Record<StoredInterval, SeriesSummary>>>;
  partitions: Partial<Record<StoredInterval, Record<string, PartitionSummary>>>;
}

/** What one write did to one symbol's bars in one partition. */
export interface SeriesChange {
  symbol: string;
  interval: StoredInterval;
  partition: string;
  /** The symbol's bars in the partition before and after the write. */
  before: number;
  after: number;
  /** Open times of the symbol's first and last bar in the partition after the write. */
  first: number;
  last: number;
}

export const emptyCatalog = (): BarCatalog => ({ version: 1, series: {}, partitions: {} });

/**
 * Moves the counts by each change's difference (a rebuild counts every partition as a change
 * from nothing). The store never deletes bars, so counts only grow.
 */
export function applyChanges(catalog: BarCatalog, changes: readonly SeriesChange[]): void {
  for (const change of changes) {
    const added = change.after - change.before;
    const newDay = change.before === 0 && change.after > 0 ? 1 : 0;
    const days = change.interval === '1d' ? added : newDay;
    const series = (catalog.series[change.symbol] ??= {});
    const summary = series[change.interval];
    series[change.interval] = summary
      ? { bars: summary.bars + added, days: summary.days + days, first: Math.min(summary.first, change.first), last: Math.max(summary.last, change.last) }
      : { bars: change.after, days, first: change.first, last: change.last };
    const partition = ((catalog.partitions[change.interval] ??= {})[change.partition] ??= { symbols: 0, bars: 0 });
    partition.symbols += newDay;
    partition.bars += added;
  }
}

/**
 * The catalog as a lowdb document. Every change holds the catalog's inter-process lock and
 * is applied to the file as it is on disk then, so changes from many processes add up.
 */
export class CatalogFile {
  constructor(
    readonly file: string,
    readonly lockTimings: LockTimings,
  ) {}

  async read(): Promise<BarCatalog> {
    return (await new CatalogAdapter(this.file).read()) ?? emptyCatalog();
  }

  apply(changes: readonly SeriesChange[]): Promise<void> {
    return this.#locked(async (db) => {
      await db.read();
      applyChanges(db.data, changes);
      await db.write();
    });
  }

  /** Writes `catalog` over whatever is there, readable or not. */
  replace(catalog: BarCatalog): Promise<void> {
    return this.#locked(async (db) => {
      db.data = catalog;
      await db.write();
    });
  }

  async #locked(work: (db: Low<BarCatalog>) => Promise<void>): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await withWriteLock(
      this.file,
      async (lock) => {
        await removeOrphanTemps(this.file);
        await work(new Low(new CatalogAdapter(this.file, lock), emptyCatalog()));
      },
      this.lockTimings,
    );
  }
}

/** lowdb's adapter for the catalog: writes go through `writeFileAtomic` under the caller's lock. */
class CatalogAdapter implements Adapter<BarCatalog> {
  constructor(
    readonly file: string,
    readonly lock?: HeldLock,
  ) {}

  async read(): Promise<BarCatalog | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw corruptCatalog(this.file, `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const record = data as Partial<BarCatalog> | null;
    if (typeof record !== 'object' || record === null || record.version !== 1 || typeof record.series !== 'object' || typeof record.partitions !== 'object') {
      throw corruptCatalog(this.file, 'it is not a version 1 catalog');
    }
    return record as BarCatalog;
  }

  write(data: BarCatalog): Promise<void> {
    return writeFileAtomic(this.file, `${JSON.stringify(data, null, 1)}\n`, this.lock);
  }
}

function corruptCatalog(file: string, what: string): SessionError {
  return new SessionError('CORRUPT_FILE', `The store's catalog ${file} is corrupt: ${what}. The bar files are intact: rebuild the catalog from them (ArrowBarStore.rebuildCatalog()).`, { file });
}
