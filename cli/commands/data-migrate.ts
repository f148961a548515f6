import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { LowdbBarStore } from '../../storage/bars/lowdb-bar-store.js';
import { migrateLowdbToArrow } from '../../storage/bars/store-migration.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';
import { shellContext } from '../command-context.js';
import { count, note, ok, plural } from '../messages.js';
import { taskProgress } from '../task-progress.js';
import { assertWritableDir, DATA_DIR_ROLE } from '../writable-dir.js';

interface Options {
  data: string;
  json?: boolean;
}

export function registerDataMigrate(data: Command): void {
  data
    .command('migrate')
    .description('copy a lowdb bar store (JSON month files) into an Arrow bar store: every symbol, interval and month')
    .argument('<lowdb-dir>', 'the lowdb store to read (left as it is)')
    .option('--data <dir>', 'the Arrow store to write (created if missing; bars merge with what it holds)', './data')
    .option('--json', 'print one JSON document, for scripts')
    .action(async (source: string, options: Options) => {
      if (path.resolve(source) === path.resolve(options.data)) {
        throw new CliError('SAME_STORE', `The Arrow store must be another folder than ${source}: pass --data <new-dir>.`, { exitCode: EXIT_USAGE });
      }
      const lowdb = new LowdbBarStore(source);
      await assertLowdbStore(source, lowdb);
      await assertWritableDir(options.data, DATA_DIR_ROLE);
      const tty = !options.json && process.stdout.isTTY === true;
      const progress = taskProgress('Migrating', 'files', tty);
      const result = await migrateLowdbToArrow(lowdb, new ArrowBarStore(options.data), (month, { files, totalFiles }) => {
        progress.update(files, totalFiles);
        if (!options.json && !tty) shellContext.print(note(`${month.interval} ${month.month}: ${plural(month.symbols, 'symbol')}, ${plural(month.bars, 'bar')}`));
      }).finally(() => progress.stop());
      if (options.json) return shellContext.print(JSON.stringify({ from: source, data: options.data, ...result }, null, 2));
      shellContext.print(
        ok(`Migrated ${plural(result.bars, 'bar')} of ${plural(result.symbols.length, 'symbol')} (${result.intervals.join(', ')}; ${count(result.files)} month files) from ${source} into the Arrow store ${options.data}`),
      );
    });
}

/** A lowdb store is a folder of `<SYMBOL>/<interval>/<YYYY-MM>.json` files; anything else is refused before a byte is written. */
async function assertLowdbStore(dir: string, store: LowdbBarStore): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) throw new CliError('NOT_A_LOWDB_STORE', `${dir} is not a lowdb bar store: there is no such folder.`);
  for (const symbol of await store.symbols()) {
    for (const interval of await store.intervals(symbol)) if ((await store.months(symbol, interval)).length > 0) return;
  }
  const arrow = Object.keys((await new ArrowBarStore(dir).catalog()).series).length > 0;
  throw new CliError(
    'NOT_A_LOWDB_STORE',
    arrow
      ? `${dir} is an Arrow bar store already: nothing to migrate (tapedeck data list --data ${dir} shows it).`
      : `${dir} is not a lowdb bar store: it has no <SYMBOL>/<interval>/<YYYY-MM>.json files.`,
  );
}
