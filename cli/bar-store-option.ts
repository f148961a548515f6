import { InvalidArgumentError, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { ArrowBarStore } from '../storage/bars/arrow-bar-store.js';
import { LowdbBarStore } from '../storage/bars/lowdb-bar-store.js';
import { openBarStore, type StoreKind } from '../storage/bars/open-bar-store.js';
import { CliError } from './cli-error.js';

export { openBarStore, type StoreKind };
/** The bar stores the CLI opens: the Arrow store by default, the JSON one on request. */
export type CliBarStore = ArrowBarStore | LowdbBarStore;

const STORE_KINDS: readonly StoreKind[] = ['arrow', 'lowdb'];

export function parseStoreKind(value: string): StoreKind {
  if (!(STORE_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError('Use arrow (Apache Arrow files, the default) or lowdb (JSON month files).');
  return value as StoreKind;
}

/** `--store <arrow|lowdb>`, the same on every command that reads or writes bars. */
export function storeOption(): Option {
  return new Option('--store <arrow|lowdb>', 'bar store format of --data: arrow (Apache Arrow files) or lowdb (JSON month files)').argParser(parseStoreKind).default('arrow');
}

/** Symbols with bars in the store, sorted. */
export async function storedSymbols(store: CliBarStore): Promise<string[]> {
  if (store instanceof LowdbBarStore) return store.symbols();
  return Object.keys((await store.catalog()).series).sort();
}

/**
 * Before a command reads bars: the folder exists, and an Arrow read is not pointed at a store of
 * JSON month files (it would find no bars and say only that). `lowdbFix` is what the command
 * offers besides converting the store.
 */
export async function assertStoreReadable(kind: StoreKind, dir: string, { lowdbFix = 'pass --store lowdb, or' }: { lowdbFix?: string } = {}): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) {
    throw new CliError(
      'NO_STORE',
      `No bar store at ${dir}: generate sample data with "tapedeck data generate --symbols AAPL,MSFT --from 2024-03-04 --to 2024-03-08 --data ${dir}", or import a CSV with "tapedeck data import <file.csv> --symbol AAPL --data ${dir}".`,
    );
  }
  if (kind !== 'arrow' || Object.keys((await new ArrowBarStore(dir).catalog()).series).length > 0) return;
  if ((await new LowdbBarStore(dir).symbols()).length > 0) {
    throw new CliError('LOWDB_STORE', `${dir} holds JSON month files (a lowdb store), not Arrow files: ${lowdbFix} convert it with "tapedeck data migrate ${dir} --data <new-dir>".`);
  }
}
