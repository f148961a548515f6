import type { Command } from 'commander';
import { STORED_INTERVALS, type StoredInterval } from '../../storage/bars/arrow-partition.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import type { BarCatalog, SeriesSummary } from '../../storage/bars/bar-catalog.js';
import { assertStoreReadable } from '../bar-store-option.js';
import { CliError } from '../cli-error.js';
import { shellContext } from '../command-context.js';
import { count, note, plural } from '../messages.js';
import { parseSymbol } from '../option-parsers.js';
import { table } from '../symbol-tables.js';

interface Options {
  data: string;
  json?: boolean;
}

/** One symbol and interval as the commands show it: days are UTC days, as the store partitions them. */
interface SeriesRow {
  symbol: string;
  interval: StoredInterval;
  bars: number;
  days: number;
  firstDay: string;
  lastDay: string;
  first: string;
  last: string;
}

const print = shellContext.print;

export function registerDataCatalog(data: Command): void {
  data
    .command('list')
    .description("what the bar store holds, from its catalog: each symbol and interval with its days and bars")
    .option('--data <dir>', 'bar store directory (an Arrow store)', './data')
    .option('--json', 'print one JSON document, for scripts')
    .action(async (options: Options) => {
      const catalog = await readCatalog(options.data);
      const rows = seriesRows(catalog);
      const days = STORED_INTERVALS.flatMap((interval) =>
        Object.entries(catalog.partitions[interval] ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([day, { symbols, bars }]) => ({ interval, day, symbols, bars })),
      );
      if (options.json) return print(JSON.stringify({ data: options.data, series: rows, days }, null, 2));
      if (rows.length === 0) return print(note(`The bar store ${options.data} is empty: tapedeck data generate or data import puts bars in.`));
      print(table(['Symbol', 'Interval', 'First day', 'Last day', 'Days', 'Bars'], rows.map((row) => [row.symbol, row.interval, row.firstDay, row.lastDay, count(row.days), count(row.bars)])));
      const intraday = rows.filter((row) => row.interval !== '1d');
      const daily = rows.filter((row) => row.interval === '1d');
      const parts: string[] = [];
      if (intraday.length > 0) {
        // A 1d partition is a year, not a day: days are counted from the intraday ones.
        const tradingDays = new Set(days.filter((d) => d.interval !== '1d').map((d) => d.day)).size;
        parts.push(`${plural(new Set(intraday.map((row) => row.symbol)).size, 'symbol')}, ${plural(intraday.reduce((sum, row) => sum + row.bars, 0), 'bar')} on ${plural(tradingDays, 'day')}`);
      }
      if (daily.length > 0) parts.push(`daily bars: ${plural(daily.reduce((sum, row) => sum + row.bars, 0), 'bar')} of ${plural(daily.length, 'symbol')}`);
      print(note(`Total: ${parts.join('; ')} in ${options.data}`));
    });

  data
    .command('info')
    .description('one symbol in the bar store: per interval its first and last day, days and bars')
    .argument('<SYMBOL>', 'the symbol', parseSymbol)
    .option('--data <dir>', 'bar store directory (an Arrow store)', './data')
    .option('--json', 'print one JSON document, for scripts')
    .action(async (symbol: string, options: Options) => {
      const catalog = await readCatalog(options.data);
      const rows = seriesRows(catalog).filter((row) => row.symbol === symbol);
      if (rows.length === 0) {
        const held = Object.keys(catalog.series).length;
        throw new CliError('UNKNOWN_SYMBOL', `No bars of ${symbol} in ${options.data} (it holds ${plural(held, 'symbol')}): tapedeck data list shows them.`);
      }
      if (options.json) return print(JSON.stringify({ data: options.data, symbol, intervals: rows.map(({ symbol: _, ...row }) => row) }, null, 2));
      print(table(['Interval', 'First day', 'Last day', 'Days', 'Bars', 'First bar', 'Last bar'], rows.map((row) => [row.interval, row.firstDay, row.lastDay, count(row.days), count(row.bars), row.first, row.last])));
    });
}

async function readCatalog(dir: string): Promise<BarCatalog> {
  await assertStoreReadable('arrow', dir, { lowdbFix: 'only an Arrow store has a catalog;' });
  return new ArrowBarStore(dir).catalog();
}

/** Sorted by symbol, then interval from finest to coarsest. */
function seriesRows(catalog: BarCatalog): SeriesRow[] {
  return Object.keys(catalog.series)
    .sort()
    .flatMap((symbol) =>
      STORED_INTERVALS.flatMap((interval) => {
        const summary: SeriesSummary | undefined = catalog.series[symbol]![interval];
        if (!summary || summary.bars === 0) return [];
        const first = new Date(summary.first).toISOString();
        const last = new Date(summary.last).toISOString();
        return [{ symbol, interval, bars: summary.bars, days: summary.days, firstDay: first.slice(0, 10), lastDay: last.slice(0, 10), first, last }];
      }),
    );
}
