import type { Interval } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';
import type { BarStore } from '../model/bar-store.js';

interface Waiting {
  symbol: string;
  resolve: (columns: BarColumnsView) => void;
  reject: (error: unknown) => void;
}

interface PendingRead {
  interval: Interval;
  startMs: number;
  endMs: number;
  waiting: Waiting[];
}

/**
 * The store as a session's loader sees it: when the store offers `getManyBarColumns`, the
 * `getBarColumns` calls made in one tick for one window (a session's configured symbols at the
 * start, the adds of one step) become one batch read. A batch that throws, or that leaves a
 * symbol out, is answered symbol by symbol with `getBarColumns`, so a store failure is reported
 * on the symbols it really concerns, as it was before batching. A store without a batch read is
 * returned as it is.
 */
export function coalescedBarReads(store: BarStore): BarStore {
  const { getManyBarColumns, getBarColumns } = store;
  if (!getManyBarColumns || !getBarColumns) return store;
  const readMany = getManyBarColumns.bind(store);
  const readOne = getBarColumns.bind(store);
  const pending = new Map<string, PendingRead>();

  async function flush(read: PendingRead): Promise<void> {
    const symbols = [...new Set(read.waiting.map((w) => w.symbol))];
    const batch = await settled(() => readMany(symbols, read.interval, read.startMs, read.endMs)).catch(() => undefined);
    for (const waiting of read.waiting) {
      const columns = batch instanceof Map ? (batch.get(waiting.symbol) as BarColumnsView | undefined) : undefined;
      if (columns) waiting.resolve(columns);
      else settled(() => readOne(waiting.symbol, read.interval, read.startMs, read.endMs)).then(waiting.resolve, waiting.reject);
    }
  }

  return {
    getBars: (symbol, interval, startMs, endMs) => store.getBars(symbol, interval, startMs, endMs),
    putBars: (symbol, interval, bars) => store.putBars(symbol, interval, bars),
    getManyBarColumns: readMany,
    getBarColumns(symbol, interval, startMs, endMs) {
      const key = `${interval} ${startMs} ${endMs}`;
      let read = pending.get(key);
      if (!read) {
        const opened: PendingRead = { interval, startMs, endMs, waiting: [] };
        pending.set(key, opened);
        // Everything asked for in the same tick joins this read; what comes later opens the next.
        queueMicrotask(() => {
          pending.delete(key);
          void flush(opened);
        });
        read = opened;
      }
      const joining = read;
      return new Promise<BarColumnsView>((resolve, reject) => joining.waiting.push({ symbol, resolve, reject }));
    },
  };
}

/** `work()` as a promise, also when it throws before returning one: a store's methods need not be async. */
function settled<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}
