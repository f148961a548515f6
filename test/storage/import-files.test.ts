import test from 'ava';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { findImportFiles } from '../../storage/import/import-files.js';
import { tempDir } from './store-dirs.js';

/** A folder as users have them: nested, hidden entries, names in any case, other files, links. */
async function folderTree(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const root = await tempDir('tapedeck-import-files-');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const bars = path.join(root, 'bars');
  for (const dir of ['nested/deeper', '.hidden', 'old.csv', 'elsewhere']) await mkdir(path.join(bars, dir), { recursive: true });
  await mkdir(path.join(root, 'outside'));
  const files = [
    'AAPL.csv', 'msft_1m.CSV', 'IBM.Csv.GZ', 'nested/TSLA.tsv', 'nested/deeper/NVDA.txt', 'nested/deeper/AMD.txt.gz',
    '.dotted.csv', '.hidden/SECRET.csv', 'old.csv/INSIDE.csv', 'notes.md', 'AAPL.csv.bak', 'data.gz', 'csv', 'elsewhere/ORCL.csv',
  ];
  for (const file of files) await writeFile(path.join(bars, file), 'timestamp,open,high,low,close,volume\n');
  await writeFile(path.join(root, 'outside/LINKED.csv'), 'x');
  await symlink(path.join(root, 'outside'), path.join(bars, 'linked-folder'));
  await symlink(path.join(bars, 'AAPL.csv'), path.join(bars, 'alias.csv'));
  await symlink(path.join(bars, 'missing.csv'), path.join(bars, 'dangling.csv'));
  return bars;
}

test('a folder is every .csv, .tsv and .txt file under it, gzipped or not, in any case: what the glob of those names matched', async (t) => {
  const bars = await folderTree(t);
  const { files, unmatched } = await findImportFiles([bars]);
  const globbed = (await glob('**/*.{csv,tsv,txt}{,.gz}', { cwd: bars, caseSensitiveMatch: false, onlyFiles: true })).sort();
  t.deepEqual(
    files.map((file) => path.relative(bars, file)),
    ['AAPL.csv', 'IBM.Csv.GZ', 'alias.csv', 'elsewhere/ORCL.csv', 'linked-folder/LINKED.csv', 'msft_1m.CSV', 'nested/TSLA.tsv', 'nested/deeper/AMD.txt.gz', 'nested/deeper/NVDA.txt', 'old.csv/INSIDE.csv'],
  );
  t.deepEqual(files, globbed.map((file) => path.join(bars, file)));
  t.deepEqual(unmatched, []);
});

test('a link back up the folder tree is entered once', async (t) => {
  const bars = await folderTree(t);
  await symlink(bars, path.join(bars, 'nested/up'));
  const { files } = await findImportFiles([path.join(bars, 'nested')]);
  t.deepEqual(
    files.map((file) => path.relative(bars, file)),
    ['nested/TSLA.tsv', 'nested/deeper/AMD.txt.gz', 'nested/deeper/NVDA.txt', ...['AAPL.csv', 'IBM.Csv.GZ', 'alias.csv', 'elsewhere/ORCL.csv', 'linked-folder/LINKED.csv', 'msft_1m.CSV', 'old.csv/INSIDE.csv'].map((file) => `nested/up/${file}`)].sort(),
  );
});

test('files as given, globs as matched, a folder or glob without files said', async (t) => {
  const bars = await folderTree(t);
  const empty = path.join(bars, 'nested/empty');
  await mkdir(empty);
  const { files, unmatched } = await findImportFiles(['given.csv', path.join(bars, 'nested/deeper/*.txt*'), empty, path.join(bars, '*.json'), 'given.csv'], bars);
  t.deepEqual(files, ['given.csv', path.join(bars, 'nested/deeper/AMD.txt.gz'), path.join(bars, 'nested/deeper/NVDA.txt')]);
  t.deepEqual(unmatched, [empty, path.join(bars, '*.json')]);
});
