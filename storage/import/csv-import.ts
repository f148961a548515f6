import { type Interval } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import { SessionError } from '../../model/session-error.js';
import type { BarStore } from '../../model/bar-store.js';
import { barsOf, sliceColumns, uniqueByTime } from '../bars/bar-merge.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { monthOf, monthRange } from '../bars/bar-partition.js';
import { ArrowBarStore } from '../bars/arrow-bar-store.js';
import { partitionKey, partitionRange, type StoredInterval } from '../bars/arrow-partition.js';
import { readCsvFile, type CsvImportReport, type CsvReadOptions, type ParsedCsv } from './csv-read.js';

export type { CsvImportReport, CsvReadOptions, ParsedCsv } from './csv-read.js';

export interface CsvImportOptions extends CsvReadOptions {
  store: BarStore;
}

/**
 * Imports a vendor CSV of bars into `store`: one symbol, or many from a symbol column. The
 * delimiter (`,` `;` tab) is found from the first lines. The file is streamed and checked
 * whole before anything is written: with bad rows and without `skipBad` it throws `BAD_INPUT`
 * listing them and the store is unchanged. Bars are then put in one write on the Arrow store
 * (each day partition landing whole or not at all), a month at a time on a store of month files,
 * so a re-import of the same file leaves the store as it was; if some bars cannot be written
 * after others were, `IMPORT_INCOMPLETE` says which months landed.
 */
export async function importCsv(options: CsvImportOptions): Promise<CsvImportReport> {
  const parsed = await readCsv(options);
  await writeBars(options.store, parsed.interval, parsed.series, options.file);
  return parsed.report;
}

/** The reading half of `importCsv`: everything up to the first write, with the same errors. */
export async function readCsv(options: CsvImportOptions): Promise<ParsedCsv> {
  // Daily bars need the Arrow store: said before the file is read.
  if (options.interval === '1d' && !(options.store instanceof ArrowBarStore)) {
    throw new SessionError('INVALID_INTERVAL', 'Daily bars (1d) are kept in the Arrow store only: import them with --store arrow.', { interval: options.interval });
  }
  return readCsvFile(options);
}

/**
 * The writing half: several files' series merged (`sources`, in file order: a later file's bar
 * wins a time), then put a month at a time as `importCsv` does. `label` names what is written in
 * an `IMPORT_INCOMPLETE` message.
 */
export async function writeBars(store: BarStore, interval: StoredInterval, sources: ReadonlyMap<string, BarColumnsView> | ReadonlyArray<ReadonlyMap<string, BarColumnsView>>, label: string): Promise<void> {
  const list = sources instanceof Map ? [sources] : (sources as ReadonlyArray<ReadonlyMap<string, BarColumnsView>>);
  const merged = new Map<string, BarColumnsView[]>();
  for (const series of list) for (const [symbol, bars] of series) merged.set(symbol, [...(merged.get(symbol) ?? []), bars]);
  const series = new Map([...merged].sort(([a], [b]) => (a < b ? -1 : 1)).map(([symbol, parts]) => [symbol, parts.length === 1 ? parts[0]! : uniqueByTime(concat(parts))]));
  await putByMonth(store, interval, series, label);
}

function concat(parts: readonly BarColumnsView[]): BarColumns {
  const out = new BarColumns(parts.reduce((sum, part) => sum + part.length, 0));
  for (const part of parts) for (let i = 0; i < part.length; i++) out.append(part.t[i]!, part.o[i]!, part.h[i]!, part.l[i]!, part.c[i]!, part.v[i]!);
  return out;
}

/**
 * Puts the bars a month at a time, each month whole or not at all on a store of month files;
 * on the Arrow store, all of them in one write, whose partitions land one by one: one lock and
 * one catalog update for a file of any length (a write a month took 23 of each for a million
 * 1m bars, and rewrote the growing catalog each time). A failure before any bar landed leaves
 * the store unchanged and is thrown as it is; a later one is `IMPORT_INCOMPLETE`, naming the
 * months written and not.
 */
async function putByMonth(store: BarStore, interval: StoredInterval, series: ReadonlyMap<string, BarColumnsView>, file: string): Promise<void> {
  if (store instanceof ArrowBarStore) {
    const landed = new Set<string>();
    try {
      await store.putManyBarColumns(interval, series, { onPartitionWritten: (partition) => landed.add(partition) });
    } catch (error) {
      if (landed.size === 0) throw error;
      const written: Array<{ month: string; bars: number }> = [];
      const notWritten: string[] = [];
      for (const [month, batch] of monthBatches(series)) {
        if ([...partitionsOf(interval, batch)].every((partition) => landed.has(partition))) written.push({ month, bars: barCount(batch) });
        else notWritten.push(month);
      }
      // Every partition landed and the catalog update failed: the bars are there, the catalog does not count them yet.
      throw incomplete(file, notWritten[0] ?? 'the catalog update', error, written, notWritten);
    }
    return;
  }
  const batches = monthBatches(series);
  const written: Array<{ month: string; bars: number }> = [];
  for (const [month, batch] of batches) {
    try {
      // Only the Arrow store takes 1d, so here the interval is an intraday one.
      for (const [symbol, bars] of batch) await store.putBars(symbol, interval as Interval, barsOf(bars));
    } catch (error) {
      if (written.length === 0) throw error;
      throw incomplete(file, month, error, written, [...batches.keys()].slice(written.length));
    }
    written.push({ month, bars: barCount(batch) });
  }
}

function incomplete(file: string, stoppedAt: string, error: unknown, written: Array<{ month: string; bars: number }>, notWritten: string[]): SessionError {
  const landed = written.map((entry) => `${entry.month} (${entry.bars} bars)`).join(', ');
  return new SessionError(
    'IMPORT_INCOMPLETE',
    `Importing ${file} stopped at ${stoppedAt}: ${error instanceof Error ? error.message : String(error)} Written: ${landed}. Not written: ${notWritten.join(', ') || 'none'}. Fix the cause and import the file again: the months already written are replaced with the same bars.`,
    { file, written, notWritten },
    { cause: error },
  );
}

function barCount(batch: ReadonlyMap<string, BarColumnsView>): number {
  let count = 0;
  for (const bars of batch.values()) count += bars.length;
  return count;
}

/** The Arrow store's partitions that a month's bars fall in. */
function partitionsOf(interval: StoredInterval, batch: ReadonlyMap<string, BarColumnsView>): Set<string> {
  const partitions = new Set<string>();
  for (const bars of batch.values()) {
    for (let i = 0; i < bars.length; ) {
      const partition = partitionKey(interval, bars.t[i]!);
      partitions.add(partition);
      const end = partitionRange(interval, partition).end;
      while (i < bars.length && bars.t[i]! < end) i++;
    }
  }
  return partitions;
}

/** The bars of every symbol in batches of one UTC month, in month order: the unit of writing. */
function monthBatches(series: ReadonlyMap<string, BarColumnsView>): Map<string, Map<string, BarColumnsView>> {
  const batches = new Map<string, Map<string, BarColumnsView>>();
  for (const [symbol, bars] of series) {
    let from = 0;
    while (from < bars.length) {
      const month = monthOf(bars.t[from]!);
      const end = monthRange(month).end;
      let to = from;
      while (to < bars.length && bars.t[to]! < end) to++;
      const batch = batches.get(month) ?? new Map<string, BarColumnsView>();
      batches.set(month, batch);
      batch.set(symbol, sliceColumns(bars, from, to));
      from = to;
    }
  }
  return new Map([...batches].sort(([a], [b]) => (a < b ? -1 : 1)));
}
