import { isSessionError } from '../../model/session-error.js';
import { readCsv, writeBars, type CsvImportOptions, type CsvImportReport, type ParsedCsv } from './csv-import.js';

export type CsvFileOutcome = { file: string; report: CsvImportReport } | { file: string; error: unknown };

/** Rows held before a write: ~50 MB of columns, and a day of 500 symbols' 1m bars in one write. */
const BATCH_ROWS = 500_000;
/** Files being read while the one before them is handled: a file's reads wait on the disk, and another can parse meanwhile. */
const READ_AHEAD = 4;

/**
 * Imports many CSV files as `importCsv` imports one, each file whole or not at all, but writes
 * the bars of many files together: a store writes one segment per partition per write, so a
 * folder of 500 one-symbol files of one day is one write instead of 500. Files are read a few at
 * a time, handled in the order given, and written in batches of about `BATCH_ROWS` bars; `onOutcome` hears of each file once,
 * a failed read at once, an imported file when its batch is written (a failed write fails every
 * file of its batch, with what was written). Options that are wrong for every file
 * (`INVALID_OPTION`, `INVALID_INTERVAL`) are thrown, before anything is written.
 */
export async function importCsvFiles(
  files: ReadonlyArray<{ file: string; symbol?: string }>,
  options: Omit<CsvImportOptions, 'file' | 'symbol'>,
  onOutcome: (outcome: CsvFileOutcome) => void,
): Promise<void> {
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
  const read = ({ file, symbol }: { file: string; symbol?: string }) =>
    readCsv({ ...options, file, ...(symbol === undefined ? {} : { symbol }) }).then(
      (parsed) => ({ parsed }),
      (error: unknown) => ({ error }),
    );
  const ahead = files.slice(0, READ_AHEAD).map(read);
  for (const [k, { file }] of files.entries()) {
    const outcome = await ahead.shift()!;
    if (k + READ_AHEAD < files.length) ahead.push(read(files[k + READ_AHEAD]!));
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
}
