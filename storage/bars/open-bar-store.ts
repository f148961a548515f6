import { ArrowBarStore } from './arrow-bar-store.js';
import { LowdbBarStore } from './lowdb-bar-store.js';

/** The on-disk bar stores a folder can hold: Arrow files (the default) or JSON month files. */
export type StoreKind = 'arrow' | 'lowdb';

/** The one place a store is opened from a kind and a folder: the CLI and every sweep worker. */
export function openBarStore(kind: StoreKind, dir: string): ArrowBarStore | LowdbBarStore {
  return kind === 'lowdb' ? new LowdbBarStore(dir) : new ArrowBarStore(dir);
}
