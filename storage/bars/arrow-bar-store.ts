import type { BigIntStats } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Bar } from '../../model/bar.js';
import { BarColumns } from '../../data-plane/bar-columns.js';
import { vouch } from '../../data-plane/bar-rules.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { isSessionError } from '../../model/session-error.js';
import { assertStoredInterval, isPartitionKey, partitionDir, partitionKey, partitionRange, probedPartitions, segmentName, segmentSeq, STORED_INTERVALS, type StoredInterval } from './arrow-partition.js';
import { decodeSegment, encodeSegment, type Segment } from './arrow-segment.js';
import { applyChanges, CatalogFile, emptyCatalog, type BarCatalog, type SeriesChange } from './bar-catalog.js';
import { barsOf, columnsOf, mergeBars, sliceColumns } from './bar-merge.js';
import type { BarStore } from '../../model/bar-store.js';
import { normalizeBars, normalizeColumns, queryWindow } from './bar-store-arguments.js';
import { DEFAULT_LOCK_TIMINGS, removeOrphanTemps, withWriteLock, writeFileAtomic, type HeldLock, type LockTimings } from './partition-lock.js';
import { copyParts, copyTimes, mergedSeries, partsOf, rowsIn, type SegmentPart } from './segment-merge.js';
import { assertValidSymbol } from '../../model/symbol-name.js';

/** Bytes of segment files kept decoded in memory: a day of 500 symbols' 1m bars is about 10 MB. */
const CACHED_BYTES = 64 * 1024 * 1024;
/**
 * Partitions one call writes at a time. Hundreds at once (a year of 1m bars is 250 partitions)
 * took twice as long as a month's worth: each holds its bars in memory while the file system
 * serves the others.
 */
const WRITES_AT_ONCE = 16;
/** A partition never has more segments than this after a write: past it, a write merges them all. */
const MAX_SEGMENTS = 12;
/** A reader that lists segments a concurrent merge then deletes lists again; each retry needs another merge to land in between, so this many never happen in practice. */
const READ_ATTEMPTS = 100;

interface CachedSegment {
  /** Identifies one version of the file: a segment is never rewritten, but a name can be reused once its folder is emptied. */
  stamp: string;
  bytes: number;
  segment: Segment;
}

/** How a write reports on itself as it goes. */
export interface PutOptions {
  /**
   * Hears of each partition (its key: `YYYY-MM-DD`, or `YYYY` for `1d`) as its new segment lands.
   * A write whose other partitions fail still wrote these, and a call that throws may have:
   * this is how a caller says what landed.
   */
  onPartitionWritten?: (partition: string) => void;
}

/** What a rebuild of the catalog found. */
export interface CatalogRebuild {
  catalog: BarCatalog;
  /** Partitions left out because a segment file is corrupt. */
  corrupt: Array<{ file: string; message: string }>;
}

/**
 * The columnar `BarStore`: Apache Arrow IPC files (Feather v2), one folder per interval and
 * partition (UTC day; UTC year for `1d`) holding all symbols, so a session day of any number
 * of symbols is read from one or a few files straight into the engine's columns.
 *
 * A partition is a short list of immutable segment files, `<seq>.arrow`, read in order with
 * the later segment winning per bar. A write holds its interval's inter-process lock (one for
 * every partition it writes), reads what each partition holds, writes its bars there as a new
 * segment (temp file, then rename), and merges the newest segments into it whenever they are
 * no bigger than what comes after them, so a partition keeps a handful of segments and each
 * bar is rewritten a logarithmic number of times, however many small writes arrive. `catalog.json` (lowdb) says what the store holds.
 */
export class ArrowBarStore implements BarStore {
  readonly dir: string;
  readonly #lockTimings: LockTimings;
  readonly #catalog: CatalogFile;
  readonly #cache = new Map<string, CachedSegment>();
  /**
   * Segment reads under way, by file version: a session that loads 500 symbols at once asks for
   * one day 500 times before the first read lands, and each would otherwise hold its own copy
   * of the file (5 GB for a 10 MB day).
   */
  readonly #reading = new Map<string, Promise<CachedSegment>>();
  #cachedBytes = 0;
  /** Per interval, the tail of its chain of writes: the lock is per process, so writes in one process queue here. */
  readonly #writes = new Map<string, Promise<void>>();

  constructor(dir: string, options: { lockTimings?: Partial<LockTimings> } = {}) {
    this.dir = path.resolve(dir);
    this.#lockTimings = { ...DEFAULT_LOCK_TIMINGS, ...options.lockTimings };
    this.#catalog = new CatalogFile(path.join(this.dir, 'catalog.json'), this.#lockTimings);
  }

  async getBars(symbol: string, interval: StoredInterval, startMs: number, endMs: number): Promise<Bar[]> {
    return barsOf(await this.getBarColumns(symbol, interval, startMs, endMs));
  }

  async getBarColumns(symbol: string, interval: StoredInterval, startMs: number, endMs: number): Promise<BarColumnsView> {
    const valid = assertValidSymbol(symbol);
    return (await this.getManyBarColumns([valid], interval, startMs, endMs)).get(valid)!;
  }

  /**
   * Many symbols' bars with `startMs <= t < endMs`, each as columns of its own (empty for a
   * symbol without bars): a session day of every symbol is one or two partitions, each read
   * once. A symbol's prices are views of the file's own columns when its bars are one run of
   * one segment, its times converted into one block; otherwise its bars are merged, copied once
   * into a block of columns. The columns are read-only: the file's, shared by every reader.
   */
  async getManyBarColumns(symbols: readonly string[], interval: StoredInterval, startMs: number, endMs: number): Promise<Map<string, BarColumnsView>> {
    const valid = symbols.map(assertValidSymbol);
    const series = assertStoredInterval(interval);
    const window = queryWindow(startMs, endMs);
    const out = new Map<string, BarColumnsView>();
    if (!window) {
      for (const symbol of valid) out.set(symbol, new BarColumns(0));
      return out;
    }
    const partitions = await this.#readWindow(series, window);
    // Loops, not callbacks: a callback is a new closure at each call, and the optimizer compiles each hot one anew.
    const parts: SegmentPart[][][] = [];
    // A symbol whose bars are one run of rows of one segment (the usual day) is handed the
    // file's own price columns: only its times, int64 in the file, are converted. Copying the
    // day's 7.7 MB of prices was half the read, most of it the first touch of fresh memory.
    const runs: Array<SegmentPart | undefined> = [];
    let runRows = 0;
    let mergedRows = 0;
    for (const symbol of valid) {
      const ofSymbol: SegmentPart[][] = [];
      let run: SegmentPart | undefined;
      let found = 0;
      for (const segments of partitions) {
        const part = partsOf(segments, symbol, window.start, window.end);
        ofSymbol.push(part);
        found += part.length;
        if (part.length === 1) run = part[0];
      }
      parts.push(ofSymbol);
      if (found === 1) {
        runs.push(run);
        runRows += run!.to - run!.from;
      } else {
        runs.push(undefined);
        for (const part of ofSymbol) mergedRows += rowsIn(part);
      }
    }
    const times = new Float64Array(runRows);
    const block = new BarColumns(mergedRows);
    let written = 0;
    let at = 0;
    for (let k = 0; k < valid.length; k++) {
      const run = runs[k];
      if (run) {
        const { segment, from, to } = run;
        copyTimes(times, written, run);
        const t = times.subarray(written, written + to - from);
        written += to - from;
        const view = { length: to - from, t, o: segment.o.subarray(from, to), h: segment.h.subarray(from, to), l: segment.l.subarray(from, to), c: segment.c.subarray(from, to), v: segment.v.subarray(from, to) };
        out.set(valid[k]!, segment.sound ? vouch(view) : view);
        continue;
      }
      const start = at;
      let sound = true;
      for (const part of parts[k]!) {
        if (part.length > 0) at += copyParts(block, at, part);
        for (const { segment } of part) sound &&= segment.sound;
      }
      // Merging keeps each bar as it was and the times strictly increasing: sound parts make a sound whole.
      const merged = block.view(start, at);
      out.set(valid[k]!, sound ? vouch(merged) : merged);
    }
    return out;
  }

  /**
   * Reads the segment files of the partitions over `[startMs, endMs)` into this store's cache,
   * where a later read finds them decoded after checking that they have not changed. A run asks
   * for its next day while the current one streams, so the file reads (~10 MB a day of 500
   * symbols) overlap its work instead of holding up the next morning. A read that fails here is
   * left to the read that needs the bars, which meets the failure again and reports it.
   */
  async prefetch(interval: StoredInterval, startMs: number, endMs: number): Promise<void> {
    try {
      const series = assertStoredInterval(interval);
      const window = queryWindow(startMs, endMs);
      if (!window) return;
      await this.#readWindow(series, window);
    } catch {
      // Nothing is lost: the bars are read again, and the error met, when they are needed.
    }
  }

  putBars(symbol: string, interval: StoredInterval, bars: Bar[]): Promise<void> {
    return this.putManyBars(interval, new Map([[symbol, bars]]));
  }

  /**
   * Several symbols' bars in one write per partition: what an import or a data generator
   * should use, since each call writes one segment per partition it touches. Every symbol and
   * bar is checked before anything is written; within a symbol, a later bar with the same `t` wins.
   */
  async putManyBars(interval: StoredInterval, bars: ReadonlyMap<string, Bar[]>): Promise<void> {
    const series = assertStoredInterval(interval);
    return this.#putMany(series, new Map([...bars].map(([symbol, batch]) => [assertValidSymbol(symbol), columnsOf(normalizeBars(batch))])));
  }

  /**
   * `putManyBars` for bars in columns, as an importer holds them: no object per bar, and no
   * copy when a series is already sorted with one bar per `t`. The same checks; the columns must
   * not change until the promise settles.
   */
  async putManyBarColumns(interval: StoredInterval, bars: ReadonlyMap<string, BarColumnsView>, options: PutOptions = {}): Promise<void> {
    const series = assertStoredInterval(interval);
    return this.#putMany(series, new Map([...bars].map(([symbol, columns]) => [assertValidSymbol(symbol), normalizeColumns(columns)])), options);
  }

  async #putMany(series: StoredInterval, bars: ReadonlyMap<string, BarColumnsView>, { onPartitionWritten }: PutOptions = {}): Promise<void> {
    const byPartition = new Map<string, Map<string, BarColumnsView>>();
    for (const [symbol, batch] of bars) {
      for (let from = 0; from < batch.length; ) {
        const key = partitionKey(series, batch.t[from]!);
        const to = firstAtOrAfter(batch.t, partitionRange(series, key).end, from + 1, batch.length);
        const partition = byPartition.get(key) ?? new Map<string, BarColumnsView>();
        byPartition.set(key, partition);
        // A series within one partition (a one-day file's) goes as it is: no six views made of it.
        partition.set(symbol, from === 0 && to === batch.length ? batch : sliceColumns(batch, from, to));
        from = to;
      }
    }
    // One catalog update for the whole call, not one per partition: the catalog is one locked
    // file, and a year of daily partitions queued on its lock took ~20 ms each. Partitions that
    // were written are counted even when another failed.
    if (byPartition.size === 0) return;
    // One lock for the interval's whole series, not one per partition: a million-row import
    // spans ~700 days, and each lock is a folder made and removed, ~1 ms of kernel time apiece.
    // Every writer locks at this grain, so partitions need no lock of their own; a call takes
    // one lock only, so writers cannot deadlock.
    const seriesDir = path.join(this.dir, series);
    const written = await this.#exclusive(seriesDir, async () => {
      await mkdir(seriesDir, { recursive: true });
      return withWriteLock(
        seriesDir,
        (lock) =>
          settledInTurns([...byPartition], WRITES_AT_ONCE, async ([key, incoming]) => {
            const changes = await this.#writePartition(series, key, incoming, lock);
            onPartitionWritten?.(key);
            return changes;
          }),
        this.#lockTimings,
      );
    });
    const changes = written.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []));
    if (changes.length > 0) await this.#catalog.apply(changes);
    const failed = written.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** The catalog as on disk now; empty for a store never written. */
  catalog(): Promise<BarCatalog> {
    return this.#catalog.read();
  }

  /**
   * Recounts the catalog from the bar files, for a catalog that is missing, corrupt, or was
   * left behind by a writer killed between its bars and its catalog update. Partitions with a
   * corrupt segment are left out and listed. Run it while no other process writes the store.
   */
  async rebuildCatalog(): Promise<CatalogRebuild> {
    const catalog = emptyCatalog();
    const corrupt: CatalogRebuild['corrupt'] = [];
    for (const interval of STORED_INTERVALS) {
      const keys = (await listNames(path.join(this.dir, interval))).filter((name) => isPartitionKey(interval, name)).sort();
      for (const key of keys) {
        let segments: Segment[];
        try {
          segments = await this.#readPartition(interval, key);
        } catch (error) {
          if (!isSessionError(error, 'CORRUPT_FILE')) throw error;
          corrupt.push({ file: String(error.details.file), message: error.message });
          continue;
        }
        const symbols = new Set(segments.flatMap((segment) => [...segment.symbols.keys()]));
        const changes = [...symbols].map((symbol) => changeOf(symbol, interval, key, 0, mergedSeries(segments, symbol)));
        applyChanges(catalog, changes);
      }
    }
    await this.#catalog.replace(catalog);
    return { catalog, corrupt };
  }

  async #partitionsOverlapping(interval: StoredInterval, start: number, end: number): Promise<string[]> {
    const probed = probedPartitions(interval, start, end);
    if (probed) return probed;
    const first = partitionKey(interval, start);
    const last = partitionKey(interval, end - 1);
    return (await listNames(path.join(this.dir, interval))).filter((name) => isPartitionKey(interval, name) && name >= first && name <= last).sort();
  }

  /** The segments of each partition over `window`, partitions in time order. */
  #readWindow(interval: StoredInterval, window: { start: number; end: number }): Promise<Segment[][]> {
    return this.#partitionsOverlapping(interval, window.start, window.end).then((keys) => Promise.all(keys.map((key) => this.#readPartition(interval, key))));
  }

  /** A partition's segments in write order; none for a partition never written. */
  async #readPartition(interval: StoredInterval, key: string): Promise<Segment[]> {
    const dir = partitionDir(this.dir, interval, key);
    const range = partitionRange(interval, key);
    for (let attempt = 1; ; attempt++) {
      const names = await segmentNames(dir);
      try {
        return await Promise.all(names.map((name) => this.#load(path.join(dir, name), range)));
      } catch (error) {
        // A merge deleted a segment listed a moment ago; its bars are in a newer segment now.
        if (!isMissing(error) || attempt === READ_ATTEMPTS) throw error;
      }
    }
  }

  async #load(file: string, range: { start: number; end: number }): Promise<Segment> {
    const stamp = stampOf(await stat(file, { bigint: true }));
    const cached = this.#cache.get(file);
    if (cached?.stamp === stamp) {
      this.#remember(file, cached);
      return cached.segment;
    }
    const key = `${stamp}:${file}`;
    let reading = this.#reading.get(key);
    if (!reading) {
      reading = readWhole(file).then((bytes) => ({ stamp, bytes: bytes.byteLength, segment: decodeSegment(bytes, file, range) }));
      this.#reading.set(key, reading);
      const forget = () => void this.#reading.delete(key);
      reading.then(forget, forget);
    }
    const entry = await reading;
    this.#remember(file, entry);
    return entry.segment;
  }

  /** Least recently used goes first: a Map iterates in insertion order. The newest entry stays, however big. */
  #remember(file: string, entry: CachedSegment): void {
    const previous = this.#cache.get(file);
    if (previous) {
      this.#cache.delete(file);
      this.#cachedBytes -= previous.bytes;
    }
    this.#cache.set(file, entry);
    this.#cachedBytes += entry.bytes;
    for (const [oldest, old] of this.#cache) {
      if (this.#cachedBytes <= CACHED_BYTES || oldest === file) break;
      this.#cache.delete(oldest);
      this.#cachedBytes -= old.bytes;
    }
  }

  /** Writes one partition's new segment, holding its interval's `lock`, and returns the catalog's changes, for the caller to apply. */
  async #writePartition(interval: StoredInterval, key: string, incoming: ReadonlyMap<string, BarColumnsView>, lock: HeldLock): Promise<SeriesChange[]> {
    const dir = partitionDir(this.dir, interval, key);
    await mkdir(dir, { recursive: true });
    const changes: SeriesChange[] = [];
    // One listing serves the three needs below: under the lock no other writer adds or
    // removes a segment, so it stays true while the write runs.
    const listed = await listNames(dir);
    const names = segmentsOf(listed);
    const next = path.join(dir, segmentName((names.length > 0 ? segmentSeq(names[names.length - 1]!)! : 0) + 1));
    // A killed writer's temp file carries the name it was about to write, which is this
    // next one, since nothing was renamed into place after it died.
    await removeOrphanTemps(next, listed);
    const range = partitionRange(interval, key);
    const segments = await Promise.all(names.map((name) => this.#load(path.join(dir, name), range)));
    const merged = segments.slice(firstMerged(segments, incoming));

    // When the write merges every segment (always, into a new partition), a symbol's
    // series after the write is also what the new segment holds: merged once, not twice.
    const whole = new Map<string, BarColumnsView>();
    for (const [symbol, bars] of incoming) {
      const before = mergedSeries(segments, symbol);
      // Into a new partition (every partition of an import into a new store) the bars go as they came.
      const after = before.length === 0 ? bars : mergeBars(before, bars);
      changes.push(changeOf(symbol, interval, key, before.length, after));
      if (merged.length === segments.length) whole.set(symbol, after);
    }
    const content = new Map<string, BarColumnsView>();
    for (const symbol of new Set([...merged.flatMap((segment) => [...segment.symbols.keys()]), ...incoming.keys()])) {
      const after = whole.get(symbol);
      if (after) {
        content.set(symbol, after);
        continue;
      }
      const base = mergedSeries(merged, symbol);
      const bars = incoming.get(symbol);
      content.set(symbol, bars ? mergeBars(base, bars) : base);
    }
    await writeFileAtomic(next, encodeSegment(content), lock);
    // Until these are gone a reader sees both, and the new segment wins wherever they differ.
    for (const segment of merged) await rm(segment.file, { force: true });
    return changes;
  }

  /** Runs `work` after every earlier write to `key` in this process has settled. */
  async #exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.#writes.get(key) ?? Promise.resolve()).then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#writes.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.#writes.get(key) === tail) this.#writes.delete(key);
    }
  }
}

/**
 * Which segments a write merges into its own: the newest ones, from the oldest segment that
 * is no bigger than everything after it (the write included). Sizes then at least double
 * from newest to oldest, like a binary counter, so a partition keeps about log2(rows) segments.
 */
function firstMerged(segments: readonly Segment[], incoming: ReadonlyMap<string, BarColumnsView>): number {
  let newer = 0;
  for (const bars of incoming.values()) newer += bars.length;
  let first = segments.length;
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i]!.rows <= newer) first = i;
    newer += segments[i]!.rows;
  }
  return first + 1 > MAX_SEGMENTS ? 0 : first;
}

function changeOf(symbol: string, interval: StoredInterval, partition: string, before: number, after: BarColumnsView): SeriesChange {
  return { symbol, interval, partition, before, after: after.length, first: after.t[0]!, last: after.t[after.length - 1]! };
}

/**
 * The first index in `[from, to)` of sorted `times` whose time is at or past `end` (`to` if none),
 * by bisection: a bar-by-bar scan for each partition's end walked every bar of a write once more.
 */
function firstAtOrAfter(times: Float64Array, end: number, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! < end) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `work` over `items`, at most `limit` at a time, each outcome in the order of `items`. */
async function settledInTurns<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const outcomes = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      try {
        outcomes[i] = { status: 'fulfilled', value: await work(items[i]!) };
      } catch (reason) {
        outcomes[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return outcomes;
}

/** The file in one read: `readFile` reads in 512 KB chunks, several times slower for a 10 MB segment. */
async function readWhole(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(bytes, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return read === size ? bytes : bytes.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** A partition's segment file names in write order. */
async function segmentNames(dir: string): Promise<string[]> {
  return segmentsOf(await listNames(dir));
}

function segmentsOf(names: readonly string[]): string[] {
  return names.filter((name) => segmentSeq(name) !== undefined).sort();
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** Inode, size and nanosecond mtime. */
function stampOf(stats: BigIntStats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}`;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
