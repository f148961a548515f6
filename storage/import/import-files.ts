import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** What a folder is searched for: CSV-like text, gzipped or not, in any case. */
const IMPORTED_NAME = /\.(?:csv|tsv|txt)(?:\.gz)?$/i;

export interface ImportFiles {
  /** Files to import, in the order given, each once; a folder's and a glob's sorted. */
  files: string[];
  /** Folders and globs that matched no file: said, not silently skipped. */
  unmatched: string[];
}

/**
 * The files a `data import` names: a file as it is (a missing one fails when it is read, with
 * the reason), a folder as every `.csv`, `.tsv` or `.txt` file under it (gzipped too; hidden
 * files and folders left out, links followed), a glob (`data/*.csv.gz`, `data/AAPL_*`) as the
 * files it matches.
 */
export async function findImportFiles(paths: readonly string[], cwd = process.cwd()): Promise<ImportFiles> {
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const given of paths) {
    const found = await stat(path.resolve(cwd, given)).catch(() => undefined);
    let matched: string[];
    if (found?.isDirectory()) {
      matched = (await filesUnder(path.resolve(cwd, given))).map((file) => path.join(given, file));
    } else if (!found && (await import('tinyglobby')).isDynamicPattern(given)) {
      // The glob matcher is loaded for a glob only: ~15 ms of module loading that a folder or a file never needed.
      const { glob } = await import('tinyglobby');
      matched = (await glob(given, { cwd, onlyFiles: true, expandDirectories: false, absolute: path.isAbsolute(given) })).sort();
    } else {
      files.add(given);
      continue;
    }
    if (matched.length === 0) unmatched.push(given);
    for (const file of matched) files.add(file);
  }
  return { files: [...files], unmatched };
}

/**
 * The imported files under `root` at any depth, as `/`-separated paths relative to it, sorted:
 * the names a glob of `*.csv`, `*.tsv` or `*.txt` (gzipped or not) at any depth matches, in any
 * case, read with one listing per folder. Each folder is entered once, however many links lead
 * to it, so a link back up the tree ends.
 */
async function filesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  const entered = new Set<string>([await realpath(root)]);
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined);
        isDirectory = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDirectory) {
        const real = await realpath(full);
        if (entered.has(real)) continue;
        entered.add(real);
        await walk(full, `${prefix}${entry.name}/`);
      } else if (isFile && IMPORTED_NAME.test(entry.name)) {
        found.push(`${prefix}${entry.name}`);
      }
    }
  };
  await walk(root, '');
  return found.sort();
}
