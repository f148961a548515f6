import type { Bar, Interval } from '../../model/bar.js';
import type { ArrowBarStore } from './arrow-bar-store.js';
import { barsOf } from './bar-merge.js';
import { monthRange } from './bar-partition.js';
import type { LowdbBarStore } from './lowdb-bar-store.js';

/** Symbols read before one write: a month of 1m bars is ~8,000 bar objects a symbol, so this bounds memory to a few hundred thousand. */
const SYMBOLS_PER_WRITE = 50;

/** One interval and month of the source, written. */
export interface MigratedMonth {
  interval: Interval;
  month: string;
  symbols: number;
  bars: number;
}

export interface StoreMigration {
  symbols: string[];
  intervals: Interval[];
  /** Symbol-months read: one JSON file each. */
  files: number;
  bars: number;
}

/**
 * Copies every symbol, interval and month of a `LowdbBarStore` into an `ArrowBarStore`,
 * several symbols per write so each day partition gets few segments. Bars merge with what the
 * target holds (the source's bar wins per `t`), so running it again changes nothing.
 */
export async function migrateLowdbToArrow(
  source: LowdbBarStore,
  target: ArrowBarStore,
  onMonth: (done: MigratedMonth, progress: { files: number; totalFiles: number }) => void = () => undefined,
): Promise<StoreMigration> {
  // interval → month → symbols with a file for it
  const plan = new Map<Interval, Map<string, string[]>>();
  const withFiles = new Set<string>();
  let totalFiles = 0;
  for (const symbol of await source.symbols()) {
    for (const interval of await source.intervals(symbol)) {
      const months = plan.get(interval) ?? new Map<string, string[]>();
      plan.set(interval, months);
      for (const month of await source.months(symbol, interval)) {
        months.set(month, [...(months.get(month) ?? []), symbol]);
        withFiles.add(symbol);
        totalFiles++;
      }
    }
  }
  let files = 0;
  let bars = 0;
  const intervals = [...plan].flatMap(([interval, months]) => (months.size > 0 ? [interval] : [])).sort();
  for (const interval of intervals) {
    for (const [month, ofMonth] of [...plan.get(interval)!].sort(([a], [b]) => a.localeCompare(b))) {
      const { start, end } = monthRange(month);
      let monthBars = 0;
      for (let from = 0; from < ofMonth.length; from += SYMBOLS_PER_WRITE) {
        const batch = new Map<string, Bar[]>();
        for (const symbol of ofMonth.slice(from, from + SYMBOLS_PER_WRITE)) {
          batch.set(symbol, barsOf(await source.getBarColumns(symbol, interval, start, end)));
        }
        await target.putManyBars(interval, batch);
        for (const written of batch.values()) monthBars += written.length;
      }
      files += ofMonth.length;
      bars += monthBars;
      onMonth({ interval, month, symbols: ofMonth.length, bars: monthBars }, { files, totalFiles });
    }
  }
  return { symbols: [...withFiles], intervals, files, bars };
}
