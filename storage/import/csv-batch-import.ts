import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isSessionError } from '../../model/session-error.js';
import { assertStoreTakes, readCsv, writeBars, type CsvImportOptions, type CsvImportReport, type ParsedCsv } from './csv-import.js';
import { CsvReadThread } from './csv-read-thread.js';

export type CsvFileOutcome = { file: string; report: CsvImportReport } | { file: string; error: unknown };

export type CsvFilesOptions = Omit<CsvImportOptions, 'file' | 'symbol'> & {
  /**
   * Read some of the files on a worker thread while the main thread reads the others. Default:
   * when there are several files and more than one core. `onProgress` hears only of the files
   * read on the main thread.
   */
  readThread?: boolean;
};

/** Rows held before a write: ~50 MB of columns, and a day of 500 symbols' 1m bars in one write. */
const BATCH_ROWS = 500_000;
/**
 * Files read (or being read) ahead of the one handled, at most: enough that the thread and the
 * main thread never wait for each other on small files, few enough, with the bytes below, to
 * bound what a folder of large files holds in memory.
 */
const READ_AHEAD_FILES = 16;
const READ_AHEAD_BYTES = 64 * 1024 * 1024;
/** Files handed to the thread and not yet answered: two, so that it never waits for the next one. */
const THREAD_QUEUE = 2;

/**
 * Imports many CSV files as `importCsv` imports one, each file whole or not at all, but writes
 * the bars of many files together: a store writes one segment per partition per write, so a
 * folder of 500 one-symbol files of one day is one write instead of 500. Files are read ahead
 * of the one handled, some on a worker thread (see `readThread`), handled in the order given,
 * and written in batches of about `BATCH_ROWS` bars; `onOutcome` hears of each file once,
 * a failed read at once, an imported file when its batch is written (a failed write fails every
 * file of its batch, with what was written). Options that are wrong for every file
 * (`INVALID_OPTION`, `INVALID_INTERVAL`) are thrown, before anything is written.
 */
export async function importCsvFiles(
  files: ReadonlyArray<{ file: string; symbol?: string }>,
  options: CsvFilesOptions,
  onOutcome: (outcome: CsvFileOutcome) => void,
): Promise<void> {
  const { readThread = files.length > 1 && availableParallelism() > 1, ...readOptions } = options;
  assertStoreTakes(options.store, options.interval);
  let batch: Array<{ file: string; parsed: ParsedCsv }> = [];
  let held = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const written = batch;
    batch = [];
    held = 0;
    const label = written.length === 1 ? written[0]!.file : `${written.length} files (${written.map(({ file }) => file).slice(0, 3).join(', ')}${written.length > 3 ? ', …' : ''})`;
    try {
      await writeBars(options.store, written[0]!.parsed.interval, written.map(({ parsed }) => parsed.series), label);
    } catch (error) {
      for (const { file } of written) onOutcome({ file, error });
      return;
    }
    for (const { file, parsed } of written) onOutcome({ file, report: parsed.report });
  };
  type Read = { parsed: ParsedCsv } | { error: unknown };
  const settle = (reading: Promise<ParsedCsv>): Promise<Read> =>
    reading.then(
      (parsed) => ({ parsed }),
      (error: unknown) => ({ error }),
    );
  const thread = readThread ? new CsvReadThread() : undefined;
  const reads: Array<Promise<Read>> = [];
  const sizes: number[] = [];
  let aheadBytes = 0;
  /** Starts reading files up to the window past file `k`: on the thread while it has room, else here. */
  const readAhead = async (k: number) => {
    while (reads.length < files.length && reads.length < k + READ_AHEAD_FILES && (reads.length === k || aheadBytes < READ_AHEAD_BYTES)) {
      const { file, symbol } = files[reads.length]!;
      const size = sizeOf(file);
      sizes.push(size);
      aheadBytes += size;
      const fileOptions = { ...readOptions, file, ...(symbol === undefined ? {} : { symbol }) };
      if (thread?.ready && thread.pending < THREAD_QUEUE) {
        reads.push(settle(thread.read(fileOptions)));
        continue;
      }
      // A small file is read here at once, in one go: a turn of the event loop after it lets the thread's answers in.
      reads.push(settle(readCsv(fileOptions)));
      if (thread) await nextTurn();
    }
  };
  try {
    for (const [k, { file }] of files.entries()) {
      await readAhead(k);
      const outcome = await reads[k]!;
      aheadBytes -= sizes[k]!;
      if ('error' in outcome) {
        const { error } = outcome;
        if (isSessionError(error) && (error.code === 'INVALID_OPTION' || error.code === 'INVALID_INTERVAL')) throw error;
        onOutcome({ file, error });
        continue;
      }
      const { parsed } = outcome;
      batch.push({ file, parsed });
      held += parsed.report.imported;
      if (held >= BATCH_ROWS) await flush();
    }
    await flush();
  } finally {
    // Reads still under way (after a thrown option error) settle unheard.
    await thread?.close();
  }
}

/** A file's size for the read-ahead budget; 0 for one that cannot be read, whose read says why. */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
