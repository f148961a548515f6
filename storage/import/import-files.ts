import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** What a folder is searched for: CSV-like text, gzipped or not, in any case, at any depth. */
const FOLDER_PATTERN = '**/*.{csv,tsv,txt}{,.gz}';

export interface ImportFiles {
  /** Files to import, in the order given, each once; a folder's and a glob's sorted. */
  files: string[];
  /** Folders and globs that matched no file: said, not silently skipped. */
  unmatched: string[];
}

/**
 * The files a `data import` names: a file as it is (a missing one fails when it is read, with
 * the reason), a folder as every `.csv`, `.tsv` or `.txt` file under it (gzipped too), a glob
 * (`data/*.csv.gz`, `data/AAPL_*`) as the files it matches.
 */
export async function findImportFiles(paths: readonly string[], cwd = process.cwd()): Promise<ImportFiles> {
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const given of paths) {
    const found = await stat(path.resolve(cwd, given)).catch(() => undefined);
    let matched: string[];
    if (found?.isDirectory()) {
      matched = await glob(FOLDER_PATTERN, { cwd: path.resolve(cwd, given), caseSensitiveMatch: false, onlyFiles: true });
      matched = matched.map((file) => path.join(given, file));
    } else if (!found && isDynamicPattern(given)) {
      matched = await glob(given, { cwd, onlyFiles: true, expandDirectories: false, absolute: path.isAbsolute(given) });
    } else {
      files.add(given);
      continue;
    }
    if (matched.length === 0) unmatched.push(given);
    for (const file of matched.sort()) files.add(file);
  }
  return { files: [...files], unmatched };
}
