import { type Command, InvalidArgumentError } from 'commander';
import { isInterval, type Interval } from '../../model/bar.js';
import { isSessionError } from '../../model/session-error.js';
import { importCsv, type CsvImportReport } from '../../storage/import/csv-import.js';
import { openBarStore, storeOption, type StoreKind } from '../bar-store-option.js';
import { CliError } from '../cli-error.js';
import { assertWritableDir, DATA_DIR_ROLE } from '../writable-dir.js';
import { shellContext } from '../command-context.js';
import { count, errorLine, note, ok, plural } from '../messages.js';
import { parseSymbol } from '../option-parsers.js';
import { taskProgress } from '../task-progress.js';

interface Options {
  symbol: string;
  tz: string;
  interval: Interval;
  data: string;
  store: StoreKind;
  skipBad?: boolean;
  json?: boolean;
}

const print = shellContext.print;

/** Bad rows listed on the terminal; the rest are counted (JSON lists all the importer reports). */
const LISTED_BAD_ROWS = 20;

export function registerDataImport(data: Command): void {
  data
    .command('import')
    .description("import a vendor CSV of bars into the bar store (nothing is imported from a file with bad rows unless --skip-bad)")
    .argument('<file.csv>', 'CSV with a header: time (or date + time), open, high, low, close, volume')
    .requiredOption('--symbol <SYMBOL>', 'the symbol the bars belong to', parseSymbol)
    .option('--tz <zone>', 'time zone of times written without an offset', 'America/New_York')
    .option('--interval <interval>', 'bar interval of the file', parseInterval, '1m' as Interval)
    .option('--data <dir>', 'bar store directory', './data')
    .addOption(storeOption())
    .option('--skip-bad', 'import the good rows and report the bad ones')
    .option('--json', 'print one JSON document, for scripts')
    .action(async (file: string, options: Options) => {
      await assertWritableDir(options.data, DATA_DIR_ROLE);
      const progress = taskProgress(`Importing ${options.symbol}`, 'KiB', !options.json && process.stdout.isTTY === true);
      let report: CsvImportReport;
      try {
        report = await importCsv({
          file,
          symbol: options.symbol,
          store: openBarStore(options.store, options.data),
          interval: options.interval,
          timeZone: options.tz,
          skipBad: options.skipBad ?? false,
          onProgress: ({ bytes, totalBytes }) => progress.update(Math.round(bytes / 1024), Math.round(totalBytes / 1024)),
        });
      } catch (error) {
        progress.stop();
        throw badRowsError(error, options.json ?? false);
      }
      progress.stop();
      if (options.json) {
        print(JSON.stringify({ file, symbol: options.symbol, interval: options.interval, ...report }, null, 2));
        return assertImported(file, report, true);
      }
      if (report.imported === 0) {
        if (report.skipped > 0) printBadRows(report.bad, report.skipped, process.stderr);
        return assertImported(file, report, false);
      }
      const span = report.first === undefined ? '' : ` (${new Date(report.first).toISOString()} → ${new Date(report.last!).toISOString()})`;
      print(ok(`Imported ${plural(report.imported, 'bar')} of ${options.symbol} ${options.interval} from ${count(report.rows)} rows into ${options.data}${span}`));
      if (report.duplicates > 0) print(note(`${plural(report.duplicates, 'row')} repeated an earlier time: the later row won`));
      if (report.skipped > 0) {
        print(note(`${plural(report.skipped, 'bad row')} skipped:`));
        printBadRows(report.bad, report.skipped);
      }
    });
}

/** An import that wrote no bar did nothing useful: exit 1, saying why (on stderr, so a --json document stays alone on stdout). */
function assertImported(file: string, report: CsvImportReport, json: boolean): void {
  if (report.imported > 0) return;
  const why =
    report.rows === 0
      ? `${file} has a header but no rows`
      : `all ${plural(report.skipped, 'row')} of ${file} ${report.skipped === 1 ? 'is' : 'are'} bad`;
  const error = new CliError('NOTHING_IMPORTED', `Nothing imported: ${why}.`, { silent: json });
  if (json) process.stderr.write(`${errorLine(error)}\n`);
  throw error;
}

function parseInterval(value: string): Interval {
  if (!isInterval(value)) throw new InvalidArgumentError('Use 1m, 5m, 15m, 30m or 1h.');
  return value;
}

/** A file with bad rows: list them with their line numbers, then fail with the importer's one-line message. */
function badRowsError(error: unknown, json: boolean): unknown {
  if (!isSessionError(error, 'BAD_INPUT') || !Array.isArray(error.details['bad'])) return error;
  const bad = error.details['bad'] as Array<{ line: number; reason: string }>;
  const total = typeof error.details['badCount'] === 'number' ? error.details['badCount'] : bad.length;
  if (json) {
    print(JSON.stringify({ error: { code: error.code, message: error.message }, bad, badCount: total }, null, 2));
    return new CliError(error.code, error.message, { silent: true });
  }
  printBadRows(bad, total, process.stderr);
  return new CliError(error.code, `${plural(total, 'bad row')}: nothing was imported. Fix them, or pass --skip-bad to import the good rows.`);
}

function printBadRows(bad: Array<{ line: number; reason: string }>, total: number, stream: NodeJS.WritableStream = process.stdout): void {
  for (const { line, reason } of bad.slice(0, LISTED_BAD_ROWS)) stream.write(`  line ${line}: ${reason}\n`);
  if (total > LISTED_BAD_ROWS) stream.write(`  … and ${count(total - LISTED_BAD_ROWS)} more\n`);
}
