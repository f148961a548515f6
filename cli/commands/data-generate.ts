import type { Command } from 'commander';
import { nyse } from '../../calendar/nyse.js';
import { openBarStore, storeOption, type StoreKind } from '../bar-store-option.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';
import { CliError } from '../cli-error.js';
import { assertWritableDir, DATA_DIR_ROLE } from '../writable-dir.js';
import { shellContext } from '../command-context.js';
import { ok, plural } from '../messages.js';
import { parseSeed, parseSymbols } from '../option-parsers.js';
import { taskProgress } from '../task-progress.js';

interface Options {
  symbols: string[];
  from: string;
  to: string;
  seed: number;
  extendedHours?: boolean;
  data: string;
  store: StoreKind;
  json?: boolean;
}

export function registerDataGenerate(data: Command): void {
  data
    .command('generate')
    .description('write a deterministic synthetic data set (seeded random walk, volume curve, a few missing minutes) into the bar store')
    .requiredOption('--symbols <list>', 'symbols, e.g. AAPL,MSFT', parseSymbols)
    .requiredOption('--from <YYYY-MM-DD>', 'first day')
    .requiredOption('--to <YYYY-MM-DD>', 'last day (NYSE trading days in between are generated)')
    .option('--seed <n>', 'random seed: the same seed gives the same bars', parseSeed, 42)
    .option('--extended-hours', 'also pre-market and after-hours bars')
    .option('--data <dir>', 'bar store directory', './data')
    .addOption(storeOption())
    .option('--json', 'print one JSON document, for scripts')
    .action(async (options: Options) => {
      const { symbols, from, to, seed, data: dir } = options;
      await assertWritableDir(dir, DATA_DIR_ROLE);
      const progress = taskProgress('Generating', 'symbol-days', !options.json && process.stdout.isTTY === true);
      const result = await generateDataset({
        store: openBarStore(options.store, dir),
        calendar: nyse,
        symbols,
        from,
        to,
        seed,
        extendedHours: options.extendedHours ?? false,
        onProgress: (done, total) => progress.update(done, total),
      }).finally(() => progress.stop());
      if (result.days === 0) {
        throw new CliError('NO_TRADING_DAYS', `Nothing generated: the NYSE has no trading day from ${from} to ${to}. Pick a range with trading days (tapedeck calendar <date> shows a day).`);
      }
      if (options.json) return shellContext.print(JSON.stringify({ data: dir, symbols, from, to, seed, ...result }, null, 2));
      shellContext.print(ok(`Generated ${plural(result.bars, 'bar')} for ${symbols.join(', ')} over ${plural(result.days, 'trading day')} (${from} … ${to}, seed ${seed}) into ${dir}`));
    });
}
