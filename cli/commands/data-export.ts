import { InvalidArgumentError, type Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Temporal } from 'temporal-polyfill';
import { nyse } from '../../calendar/nyse.js';
import { parseTradingDate } from '../../calendar/trading-date.js';
import { INTERVALS, isInterval } from '../../model/bar.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { assertStoredInterval, type StoredInterval } from '../../storage/bars/arrow-partition.js';
import { encodeSegment } from '../../storage/bars/arrow-segment.js';
import { csvChunks } from '../../storage/import/csv-export.js';
import { assertStoreReadable, openBarStore, storeOption, type StoreKind } from '../bar-store-option.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';
import { shellContext } from '../command-context.js';
import { ok, plural } from '../messages.js';
import { parseSymbol } from '../option-parsers.js';

type ExportFormat = 'csv' | 'arrow';

interface Options {
  from: string;
  to: string;
  interval: StoredInterval;
  format: ExportFormat;
  out?: string;
  data: string;
  store: StoreKind;
  json?: boolean;
}

export function registerDataExport(data: Command): void {
  data
    .command('export')
    .description('write one symbol\'s bars over exchange-local days as CSV (importable again with data import) or as an Arrow IPC file')
    .argument('<SYMBOL>', 'the symbol', parseSymbol)
    .requiredOption('--from <YYYY-MM-DD>', 'first exchange-local day (from its midnight, so extended hours are included)')
    .requiredOption('--to <YYYY-MM-DD>', 'last exchange-local day')
    .option('--interval <interval>', 'bar interval: 1m, 5m, 15m, 30m, 1h, or 1d', parseExportInterval, '1m' as StoredInterval)
    .option('--format <csv|arrow>', 'csv (time,open,high,low,close,volume; time in ISO-8601 UTC) or arrow (the store\'s segment schema)', parseFormat, 'csv' as ExportFormat)
    .option('--out <file>', 'the file to write (default: standard output)')
    .option('--data <dir>', 'bar store directory', './data')
    .addOption(storeOption())
    .option('--json', 'with --out: print what was written as one JSON document')
    .action(async (symbol: string, options: Options) => {
      const window = exchangeDays(options.from, options.to);
      if (options.json && !options.out) throw new CliError('INVALID_OPTION', '--json describes the file written with --out; without --out the bars themselves go to standard output.', { exitCode: EXIT_USAGE });
      if (options.format === 'arrow' && !options.out && process.stdout.isTTY) {
        throw new CliError('INVALID_OPTION', 'An Arrow file is binary: pass --out <file.arrow>, or pipe standard output into a file.', { exitCode: EXIT_USAGE });
      }
      await assertStoreReadable(options.store, options.data);
      const store = openBarStore(options.store, options.data);
      const { interval } = options;
      let bars: BarColumnsView;
      if (store instanceof ArrowBarStore) bars = await store.getBarColumns(symbol, interval, window.start, window.end);
      else if (isInterval(interval)) bars = await store.getBarColumns(symbol, interval, window.start, window.end);
      else throw new CliError('INVALID_INTERVAL', `A lowdb store holds no ${interval} bars: use ${INTERVALS.join(', ')}.`, { exitCode: EXIT_USAGE });
      if (bars.length === 0) {
        throw new CliError('NO_DATA', `No ${options.interval} bars of ${symbol} from ${options.from} to ${options.to} in ${options.data}: tapedeck data info ${symbol} --data ${options.data} shows what there is.`);
      }
      const content = options.format === 'csv' ? Readable.from(csvChunks(bars)) : Readable.from([encodeSegment(new Map([[symbol, bars]]))]);
      if (!options.out) return pipeline(content, process.stdout, { end: false });
      await pipeline(content, createWriteStream(options.out));
      const span = { first: new Date(bars.t[0]!).toISOString(), last: new Date(bars.t[bars.length - 1]!).toISOString() };
      if (options.json) return shellContext.print(JSON.stringify({ symbol, interval: options.interval, format: options.format, out: options.out, bars: bars.length, ...span }, null, 2));
      shellContext.print(ok(`Exported ${plural(bars.length, 'bar')} of ${symbol} ${options.interval} (${span.first} → ${span.last}) to ${options.out}`));
    });
}

/** `[from's midnight, the midnight after to)` in the exchange's time zone, epoch ms. */
function exchangeDays(from: string, to: string): { start: number; end: number } {
  const first = parseTradingDate(from);
  const last = parseTradingDate(to);
  if (Temporal.PlainDate.compare(first, last) > 0) throw new CliError('INVALID_DATE', `--from ${from} is after --to ${to}.`, { exitCode: EXIT_USAGE });
  const midnight = (date: Temporal.PlainDate) => date.toZonedDateTime({ timeZone: nyse.timeZone }).epochMilliseconds;
  return { start: midnight(first), end: midnight(last.add({ days: 1 })) };
}

function parseExportInterval(value: string): StoredInterval {
  try {
    return assertStoredInterval(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function parseFormat(value: string): ExportFormat {
  if (value !== 'csv' && value !== 'arrow') throw new InvalidArgumentError('Use csv or arrow.');
  return value;
}
