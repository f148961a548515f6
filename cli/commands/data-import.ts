import { type Command, InvalidArgumentError } from 'commander';
import { isSessionError } from '../../model/session-error.js';
import type { StoredInterval } from '../../storage/bars/arrow-partition.js';
import type { CsvImportReport } from '../../storage/import/csv-import.js';
import { importCsvFiles } from '../../storage/import/csv-batch-import.js';
import { parseColumnSpec, type ColumnSpec } from '../../storage/import/csv-header.js';
import { EPOCH_UNITS, type EpochUnit } from '../../storage/import/csv-time.js';
import { symbolFromFileName } from '../../storage/import/file-symbol.js';
import { findImportFiles } from '../../storage/import/import-files.js';
import { openBarStore, storeOption, type StoreKind } from '../bar-store-option.js';
import { CliError, EXIT_PARTIAL, errorCodeOf } from '../cli-error.js';
import { assertWritableDir, DATA_DIR_ROLE } from '../writable-dir.js';
import { shellContext } from '../command-context.js';
import { count, errorLine, note, ok, plural } from '../messages.js';
import { parseSymbol } from '../option-parsers.js';
import { taskProgress } from '../task-progress.js';

interface Options {
  symbol?: string;
  tz: string;
  interval: StoredInterval;
  columns?: ColumnSpec;
  epochUnit?: EpochUnit;
  data: string;
  store: StoreKind;
  skipBad?: boolean;
  json?: boolean;
}

type BadRow = { line: number; reason: string };
type FileOutcome =
  | ({ file: string; interval: StoredInterval } & CsvImportReport)
  | { file: string; error: { code: string; message: string }; bad?: BadRow[]; badCount?: number };

const print = shellContext.print;

/** Bad rows listed on the terminal per file; the rest are counted (JSON lists all the importer reports). */
const LISTED_BAD_ROWS = 20;
const INTERVAL_CHOICES: readonly StoredInterval[] = ['1m', '5m', '15m', '30m', '1h', '1d'];

export function registerDataImport(data: Command): void {
  data
    .command('import')
    .description('import CSV files of bars into the bar store, each file whole or not at all (a file with bad rows is not imported unless --skip-bad)')
    .argument('<paths...>', 'CSV files (.gz read directly), folders (every .csv/.tsv/.txt under them) or globs')
    .option('--symbol <SYMBOL>', 'the symbol of files without a symbol column (default: from the file name, AAPL.csv or AAPL_1m.csv.gz → AAPL)', parseSymbol)
    .option('--columns <spec>', 'fields by position for a headerless file (time,open,high,low,close,volume; "-" skips one), or header names (time=Bar Start,volume=Qty)', parseColumns)
    .option('--tz <zone>', 'time zone of times written without an offset', 'America/New_York')
    .option('--epoch-unit <s|ms|us|ns>', 'what all-digit times count (default: told by their number of digits)', parseEpochUnit)
    .option('--interval <interval>', 'bar interval of the files: 1m, 5m, 15m, 30m, 1h or 1d', parseInterval, '1m' as StoredInterval)
    .option('--data <dir>', 'bar store directory', './data')
    .addOption(storeOption())
    .option('--skip-bad', 'import the good rows and report the bad ones')
    .option('--json', 'print one JSON document, for scripts')
    .action(async (paths: string[], options: Options) => {
      await assertWritableDir(options.data, DATA_DIR_ROLE);
      const { files, unmatched } = await findImportFiles(paths);
      const store = openBarStore(options.store, options.data);
      // A bar for one long file; with several, the line printed per file is the progress.
      const progress = taskProgress(`Importing ${files[0]}`, 'KiB', files.length === 1 && !options.json && process.stdout.isTTY === true);
      const outcomes: FileOutcome[] = unmatched.map((given) => ({ file: given, error: { code: 'NO_FILES', message: `${given} matches no .csv, .tsv or .txt file (gzipped or not)` } }));
      for (const outcome of outcomes) report(outcome, options);
      await importCsvFiles(
        files.map((file) => {
          const symbol = options.symbol ?? symbolFromFileName(file);
          return symbol ? { file, symbol } : { file };
        }),
        {
          store,
          interval: options.interval,
          timeZone: options.tz,
          skipBad: options.skipBad ?? false,
          ...(options.columns ? { columns: options.columns } : {}),
          ...(options.epochUnit ? { epochUnit: options.epochUnit } : {}),
          onProgress: ({ bytes, totalBytes }) => progress.update(Math.round(bytes / 1024), Math.round(totalBytes / 1024)),
        },
        (result) => {
          progress.stop();
          const outcome: FileOutcome = 'error' in result ? failure(result.file, result.error) : { file: result.file, interval: options.interval, ...result.report };
          outcomes.push(outcome);
          report(outcome, options);
        },
      );
      progress.stop();
      // Files are written in batches, so outcomes arrive out of order: report them in the order given.
      const order = new Map(files.map((file, index) => [file, index]));
      outcomes.sort((a, b) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1));
      finish(outcomes, options);
    });
}

function failure(file: string, error: unknown): FileOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (isSessionError(error, 'BAD_INPUT') && Array.isArray(error.details['bad'])) {
    const bad = error.details['bad'] as BadRow[];
    const badCount = typeof error.details['badCount'] === 'number' ? error.details['badCount'] : bad.length;
    return { file, error: { code: error.code, message: `${plural(badCount, 'bad row')}: nothing was imported from it. Fix them, or pass --skip-bad to import the good rows.` }, bad, badCount };
  }
  return { file, error: { code: errorCodeOf(error), message } };
}

/** One file's result as it lands: successes on stdout, failures and their bad rows on stderr (so a --json document stays alone on stdout). */
function report(outcome: FileOutcome, options: Options): void {
  if ('error' in outcome) {
    if (outcome.bad) printBadRows(outcome.bad, outcome.badCount ?? outcome.bad.length, process.stderr);
    process.stderr.write(`${errorLine(new CliError(outcome.error.code, `${outcome.file}: ${outcome.error.message}`))}\n`);
    return;
  }
  if (outcome.imported === 0) {
    if (outcome.skipped > 0) printBadRows(outcome.bad, outcome.skipped, process.stderr);
    const why =
      outcome.rows === 0
        ? `${outcome.file} has a header but no rows`
        : `all ${plural(outcome.skipped, 'row')} of ${outcome.file} ${outcome.skipped === 1 ? 'is' : 'are'} bad`;
    process.stderr.write(`${errorLine(new CliError('NOTHING_IMPORTED', `Nothing imported: ${why}.`))}\n`);
    return;
  }
  if (options.json) return;
  const symbols = Object.keys(outcome.symbols);
  const which = symbols.length === 1 ? symbols[0] : `${symbols.length} symbols (${symbols.slice(0, 5).join(', ')}${symbols.length > 5 ? ', …' : ''})`;
  const span = ` (${new Date(outcome.first!).toISOString()} → ${new Date(outcome.last!).toISOString()})`;
  print(ok(`Imported ${plural(outcome.imported, 'bar')} of ${which} ${outcome.interval} from ${plural(outcome.rows, 'row')} of ${outcome.file} into ${options.data}${span}`));
  if (outcome.duplicates > 0) print(note(`${plural(outcome.duplicates, 'row')} repeated an earlier time: the later row won`));
  if (outcome.skipped > 0) {
    print(note(`${plural(outcome.skipped, 'bad row')} skipped:`));
    printBadRows(outcome.bad, outcome.skipped);
  }
}

/**
 * Exit 0 when every file imported bars, 3 when some did and others not, 1 when none did. Each
 * failure was said as it happened; the last line sums them up when there were several files.
 */
function finish(outcomes: FileOutcome[], options: Options): void {
  const failed = outcomes.filter((outcome) => 'error' in outcome || outcome.imported === 0);
  const imported = outcomes.flatMap((outcome) => ('error' in outcome ? [] : [outcome]));
  const bars = imported.reduce((sum, outcome) => sum + outcome.imported, 0);
  const symbols = new Set(imported.flatMap((outcome) => Object.keys(outcome.symbols)));
  if (options.json) {
    const rows = imported.reduce((sum, outcome) => sum + outcome.rows, 0);
    print(JSON.stringify({ files: outcomes, imported: bars, rows, symbols: [...symbols].sort(), failed: failed.length }, null, 2));
  } else if (outcomes.length > 1 && bars > 0) {
    print(ok(`Imported ${plural(bars, 'bar')} of ${plural(symbols.size, 'symbol')} from ${plural(outcomes.length - failed.length, 'file')} into ${options.data}`));
  }
  if (failed.length === 0) return;
  const silent = options.json === true || outcomes.length === 1;
  const names = failed.map((outcome) => outcome.file);
  const listed = `${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}`;
  if (bars === 0) throw new CliError('NOTHING_IMPORTED', `Nothing imported: ${outcomes.length === 1 ? 'the file' : `all ${outcomes.length} files`} failed.`, { silent });
  throw new CliError('IMPORT_PARTIAL', `${failed.length} of ${plural(outcomes.length, 'file')} not imported: ${listed}. The others were imported whole.`, { silent: options.json === true, exitCode: EXIT_PARTIAL });
}

function parseInterval(value: string): StoredInterval {
  if (!(INTERVAL_CHOICES as readonly string[]).includes(value)) throw new InvalidArgumentError(`Use ${INTERVAL_CHOICES.join(', ')}.`);
  return value as StoredInterval;
}

function parseEpochUnit(value: string): EpochUnit {
  if (!(EPOCH_UNITS as readonly string[]).includes(value)) throw new InvalidArgumentError(`Use ${EPOCH_UNITS.join(', ')}.`);
  return value as EpochUnit;
}

function parseColumns(value: string): ColumnSpec {
  try {
    return parseColumnSpec(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function printBadRows(bad: BadRow[], total: number, stream: NodeJS.WritableStream = process.stdout): void {
  for (const { line, reason } of bad.slice(0, LISTED_BAD_ROWS)) stream.write(`  line ${line}: ${reason}\n`);
  if (total > LISTED_BAD_ROWS) stream.write(`  … and ${count(total - LISTED_BAD_ROWS)} more\n`);
}
