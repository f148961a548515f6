import test from 'ava';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { ROOT, runCli } from './cli-process.js';

const FIXTURES = join(ROOT, 'test/fixtures/import');
const HEADER = 'timestamp,open,high,low,close,volume\n';
const ALL: [number, number] = [0, Date.UTC(2100, 0, 1)];

async function temp(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-import-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const rows = (count: number, from = Date.UTC(2024, 2, 8, 14, 30)) =>
  Array.from({ length: count }, (_, i) => `${new Date(from + i * 60_000).toISOString()},10,11,9,10.5,${100 + i}\n`).join('');

test('one command imports files, folders (at any depth, gzipped too) and globs, the symbol from each file name', async (t) => {
  const dir = await temp(t);
  const data = join(dir, 'data');
  await mkdir(join(dir, 'bars/nested'), { recursive: true });
  await mkdir(join(dir, 'more'));
  await writeFile(join(dir, 'bars/AAPL.csv'), HEADER + rows(3));
  await writeFile(join(dir, 'bars/msft_1m.csv.gz'), gzipSync(HEADER + rows(4)));
  await writeFile(join(dir, 'bars/nested/IBM.tsv'), (HEADER + rows(2)).replaceAll(',', '\t'));
  await writeFile(join(dir, 'bars/notes.md'), 'not bars');
  await writeFile(join(dir, 'more/TSLA_2024.csv'), HEADER + rows(5));
  await writeFile(join(dir, 'more/NVDA_2024.csv'), HEADER + rows(1));
  await writeFile(join(dir, 'more/skip.json'), '{}');

  const run = await runCli(['data', 'import', join(dir, 'bars'), join(dir, 'more/*_2024.csv'), join(FIXTURES, '2024-03-08.csv.gz'), '--data', data]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
  const lines = run.stdout.trimEnd().split('\n');
  t.is(lines.length, 7, run.stdout);
  t.regex(lines[0]!, /^✓ Imported 3 bars of AAPL 1m from 3 rows of .*bars\/AAPL\.csv into /);
  t.regex(lines[1]!, /^✓ Imported 4 bars of MSFT 1m .*msft_1m\.csv\.gz/);
  t.regex(lines[2]!, /^✓ Imported 2 bars of IBM 1m .*nested\/IBM\.tsv/);
  t.regex(lines[3]!, new RegExp(`^✓ Imported 1 bar of NVDA 1m from 1 row of ${join(dir, 'more/NVDA_2024.csv')} `));
  t.regex(lines[5]!, /^✓ Imported 9 bars of 3 symbols \(AAPL, AMD, TSLA\) 1m from 9 rows of .*2024-03-08\.csv\.gz/);
  t.is(lines[6]!, `✓ Imported 24 bars of 6 symbols from 6 files into ${data}`);
  const store = new ArrowBarStore(data);
  t.deepEqual(Object.keys((await store.catalog()).series).sort(), ['AAPL', 'AMD', 'IBM', 'MSFT', 'NVDA', 'TSLA']);
  t.is((await store.getBars('TSLA', '1m', ...ALL)).length, 5, 'TSLA: 5 from its own file; the flat file has the same 3 minutes');
  t.is((await store.getBars('MSFT', '1m', ...ALL)).length, 4);

  const total = await runCli(['data', 'import', join(dir, 'more'), '--data', data]);
  t.is(total.code, 0, total.stderr);
  t.regex(total.stdout.trimEnd().split('\n').at(-1)!, /^✓ Imported 6 bars of 2 symbols from 2 files into /);
});

test('a file that fails leaves the others imported whole: exit 3, each failure said with its bad rows', async (t) => {
  const dir = await temp(t);
  const data = join(dir, 'data');
  await writeFile(join(dir, 'AAPL.csv'), HEADER + rows(3));
  await writeFile(join(dir, 'MSFT.csv'), `${HEADER}${rows(2)}2024-03-08T14:40:00Z,10,11,9,oops,1\n`);
  await copyFile(join(FIXTURES, 'SAP_bad.csv'), join(dir, 'SAP.csv'));

  const run = await runCli(['data', 'import', dir, '--data', data]);
  t.is(run.code, 3, run.stderr);
  t.is(
    run.stderr,
    `  line 4: close "oops" is not a number\n✗ ${join(dir, 'MSFT.csv')}: 1 bad row: nothing was imported from it. Fix them, or pass --skip-bad to import the good rows.\n` +
      `  line 3: expected 7 columns like the header, got 6\n✗ ${join(dir, 'SAP.csv')}: 1 bad row: nothing was imported from it. Fix them, or pass --skip-bad to import the good rows.\n` +
      `✗ 2 of 3 files not imported: ${join(dir, 'MSFT.csv')}, ${join(dir, 'SAP.csv')}. The others were imported whole.\n`,
  );
  const store = new ArrowBarStore(data);
  t.deepEqual(Object.keys((await store.catalog()).series), ['AAPL']);

  const json = await runCli(['data', 'import', dir, '--data', data, '--json']);
  t.is(json.code, 3);
  const document = JSON.parse(json.stdout) as { files: Array<{ file: string; imported?: number; error?: { code: string } }>; imported: number; failed: number };
  t.like(document, { imported: 3, failed: 2, symbols: ['AAPL'] });
  t.like(document.files[0], { imported: 3, symbols: { AAPL: 3 } });
  t.like(document.files[1], { error: { code: 'BAD_INPUT' }, bad: [{ line: 4 }], badCount: 1 });

  const skipped = await runCli(['data', 'import', dir, '--data', data, '--skip-bad']);
  t.is(skipped.code, 0, skipped.stderr);
  t.is((await store.getBars('SAP', '1m', ...ALL)).length, 3);
});

test('exit 1 when no file imported a bar, 2 for options that are wrong for every file', async (t) => {
  const dir = await temp(t);
  const data = join(dir, 'data');
  const nothing = await runCli(['data', 'import', join(dir, '*.csv'), join(dir, 'missing.csv'), '--data', data]);
  t.is(nothing.code, 1);
  t.regex(nothing.stderr, /^✗ .*\*\.csv: .*\*\.csv matches no \.csv, \.tsv or \.txt file \(gzipped or not\)\n✗ .*missing\.csv: Cannot read .*missing\.csv: ENOENT.*\n✗ Nothing imported: all 2 files failed\.\n$/);

  await writeFile(join(dir, 'SPY.csv'), HEADER + rows(2));
  const columns = await runCli(['data', 'import', join(dir, 'SPY.csv'), '--columns', 'time,price', '--data', data]);
  t.is(columns.code, 2);
  t.regex(columns.stderr, /--columns "time,price": "price" is not one of/);
  const daily = await runCli(['data', 'import', join(dir, 'SPY.csv'), '--interval', '1d', '--store', 'lowdb', '--data', data]);
  t.is(daily.code, 2);
  t.regex(daily.stderr, /Daily bars \(1d\) are kept in the Arrow store only/);
  const unit = await runCli(['data', 'import', join(dir, 'SPY.csv'), '--epoch-unit', 'minutes', '--data', data]);
  t.is(unit.code, 2);
});

test('headerless, daily and epoch-unit imports through the command', async (t) => {
  const dir = await temp(t);
  const data = join(dir, 'data');
  const headerless = await runCli(['data', 'import', join(FIXTURES, 'TSLA_noheader.csv'), '--columns', 'time,open,high,low,close,volume', '--data', data]);
  t.is(headerless.code, 0, headerless.stderr);
  t.regex(headerless.stdout, /^✓ Imported 4 bars of TSLA 1m /);
  const daily = await runCli(['data', 'import', join(FIXTURES, 'SPY_1d.csv'), '--interval', '1d', '--data', data]);
  t.is(daily.code, 0, daily.stderr);
  t.regex(daily.stdout, /^✓ Imported 5 bars of SPY 1d .*\(2024-03-04T00:00:00\.000Z → 2024-03-08T00:00:00\.000Z\)/);
  await writeFile(join(dir, 'QQQ.csv'), `t,o,h,l,c,v\n${Date.UTC(2024, 2, 8, 14, 30) * 1000},1,1,1,1,1\n`);
  const micro = await runCli(['data', 'import', join(dir, 'QQQ.csv'), '--epoch-unit', 'us', '--symbol', 'QQQ', '--data', data]);
  t.is(micro.code, 0, micro.stderr);
  t.deepEqual((await new ArrowBarStore(data).getBars('QQQ', '1m', ...ALL)).map((b) => b.t), [Date.UTC(2024, 2, 8, 14, 30)]);
  // Daily bars are listed with their days; the total counts intraday days apart from them.
  const list = await runCli(['data', 'list', '--data', data]);
  t.is(list.code, 0, list.stderr);
  t.regex(list.stdout, /│ SPY +│ 1d +│ 2024-03-04 │ 2024-03-08 │ 5 +│ 5 +│/);
  t.regex(list.stdout, /Total: 2 symbols, 5 bars on 1 day; daily bars: 5 bars of 1 symbol in /);
});
