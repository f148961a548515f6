import test from 'ava';
import { tableFromIPC } from 'apache-arrow';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { LowdbBarStore } from '../../storage/bars/lowdb-bar-store.js';
import { runCli } from './cli-process.js';

async function temp(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-store-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const FROM = nyse.session('2024-03-07')!.open - 86_400_000;
const TO = nyse.session('2024-03-11')!.close + 86_400_000;

async function generate(t: { is(actual: unknown, expected: unknown, message?: string): void }, data: string, extra: string[] = []): Promise<void> {
  const run = await runCli(['data', 'generate', '--symbols', 'AAPL,MSFT', '--from', '2024-03-07', '--to', '2024-03-11', '--seed', '5', '--data', data, ...extra]);
  t.is(run.code, 0, run.stderr);
}

/** What a backtest's JSON summary says about the day, without wall-clock times. */
function dayOutcome(stdout: string) {
  const summary = JSON.parse(stdout);
  return {
    ...summary,
    pauses: summary.pauses.length,
    symbols: summary.symbols.map(({ addedAt: _, ...symbol }: Record<string, unknown>) => symbol),
  };
}

test('data list and data info show what the catalog holds: symbols, intervals, days and bars', async (t) => {
  const data = join(await temp(t), 'data');
  await generate(t, data);
  const store = new ArrowBarStore(data);
  const aapl = (await store.getBars('AAPL', '1m', FROM, TO)).length;
  const msft = (await store.getBars('MSFT', '1m', FROM, TO)).length;

  const list = await runCli(['data', 'list', '--data', data, '--json']);
  t.is(list.code, 0, list.stderr);
  const listed = JSON.parse(list.stdout);
  t.deepEqual(
    listed.series.map((s: any) => [s.symbol, s.interval, s.firstDay, s.lastDay, s.days, s.bars]),
    [
      ['AAPL', '1m', '2024-03-07', '2024-03-11', 3, aapl],
      ['MSFT', '1m', '2024-03-07', '2024-03-11', 3, msft],
    ],
  );
  t.deepEqual(listed.days.map((d: any) => [d.interval, d.day, d.symbols]), [
    ['1m', '2024-03-07', 2],
    ['1m', '2024-03-08', 2],
    ['1m', '2024-03-11', 2],
  ]);
  t.is(listed.days.reduce((sum: number, d: any) => sum + d.bars, 0), aapl + msft);

  const table = await runCli(['data', 'list', '--data', data]);
  t.is(table.code, 0, table.stderr);
  t.regex(table.stdout, new RegExp(`│ AAPL +│ 1m +│ 2024-03-07 │ 2024-03-11 │ 3 +│ ${aapl.toLocaleString('en-US')} +│`));
  t.regex(table.stdout, new RegExp(`Total: 2 symbols, ${(aapl + msft).toLocaleString('en-US')} bars on 3 days in ${data}\\n$`));

  const info = await runCli(['data', 'info', 'MSFT', '--data', data, '--json']);
  t.is(info.code, 0, info.stderr);
  t.deepEqual(JSON.parse(info.stdout), {
    data,
    symbol: 'MSFT',
    intervals: [{ interval: '1m', bars: msft, days: 3, firstDay: '2024-03-07', lastDay: '2024-03-11', first: '2024-03-07T14:30:00.000Z', last: listed.series[1].last }],
  });
  const infoTable = await runCli(['data', 'info', 'MSFT', '--data', data]);
  t.regex(infoTable.stdout, new RegExp(`│ 1m +│ 2024-03-07 │ 2024-03-11 │ 3 +│ ${msft.toLocaleString('en-US')} +│`));

  const unknown = await runCli(['data', 'info', 'TSLA', '--data', data]);
  t.is(unknown.code, 1);
  t.is(unknown.stderr, `✗ No bars of TSLA in ${data} (it holds 2 symbols): tapedeck data list shows them.\n`);
  const unknownJson = await runCli(['data', 'info', 'TSLA', '--data', data, '--json']);
  t.is(unknownJson.code, 1);
  t.is(JSON.parse(unknownJson.stdout).error.code, 'UNKNOWN_SYMBOL');
  t.is((await runCli(['data', 'info', 'tsla', '--data', data])).code, 2);
  const missing = await runCli(['data', 'list', '--data', join(data, 'nowhere')]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /^✗ No bar store at /);
});

test('data migrate copies every symbol and interval of a lowdb store, and a backtest on it ends as on the lowdb store', async (t) => {
  const dir = await temp(t);
  const lowdbDir = join(dir, 'lowdb');
  const arrowDir = join(dir, 'arrow');
  await generate(t, lowdbDir, ['--store', 'lowdb']);
  const lowdb = new LowdbBarStore(lowdbDir);
  // 5m bars of their own, and a month before the others, so the migration has more than one interval and month.
  const fiveMinute = (await lowdb.getBars('AAPL', '1m', FROM, TO)).filter((bar) => bar.t % 300_000 === 0);
  await lowdb.putBars('AAPL', '5m', fiveMinute);
  const february = nyse.session('2024-02-29')!.open;
  await lowdb.putBars('MSFT', '1m', [{ t: february, o: 1, h: 2, l: 0.5, c: 1.5, v: 10 }]);

  const migrate = await runCli(['data', 'migrate', lowdbDir, '--data', arrowDir]);
  t.is(migrate.code, 0, migrate.stderr);
  const aapl = await lowdb.getBars('AAPL', '1m', FROM, TO);
  const msft = await lowdb.getBars('MSFT', '1m', february, TO);
  const total = aapl.length + msft.length + fiveMinute.length;
  t.is(
    migrate.stdout,
    [
      '1m 2024-02: 1 symbol, 1 bar',
      `1m 2024-03: 2 symbols, ${(aapl.length + msft.length - 1).toLocaleString('en-US')} bars`,
      `5m 2024-03: 1 symbol, ${fiveMinute.length} bars`,
      `✓ Migrated ${total.toLocaleString('en-US')} bars of 2 symbols (1m, 5m; 4 month files) from ${lowdbDir} into the Arrow store ${arrowDir}`,
      '',
    ].join('\n'),
  );
  const arrow = new ArrowBarStore(arrowDir);
  t.deepEqual(await arrow.getBars('AAPL', '1m', FROM, TO), aapl);
  t.deepEqual(await arrow.getBars('MSFT', '1m', february, TO), msft);
  t.deepEqual(await arrow.getBars('AAPL', '5m', FROM, TO), fiveMinute);

  const backtest = ['backtest', '--date', '2024-03-08', '--symbols', 'AAPL,MSFT', '--streams', '1m,5m', '--speed', 'max', '--json', '--run-dir', join(dir, 'run')];
  const onLowdb = await runCli([...backtest, '--data', lowdbDir, '--store', 'lowdb']);
  t.is(onLowdb.code, 0, onLowdb.stderr);
  const onArrow = await runCli([...backtest, '--data', arrowDir]);
  t.is(onArrow.code, 0, onArrow.stderr);
  t.deepEqual(dayOutcome(onArrow.stdout), dayOutcome(onLowdb.stdout));
  t.true(dayOutcome(onArrow.stdout).symbols.every((symbol: any) => symbol.streamed['1m'] > 300 && symbol.streamed['5m'] > 70));
});

test('data migrate refuses a source that is not a lowdb store, and writes nothing', async (t) => {
  const dir = await temp(t);
  const target = join(dir, 'target');
  const arrowDir = join(dir, 'arrow');
  await generate(t, arrowDir);
  const plain = join(dir, 'plain');
  await mkdir(join(plain, 'notes'), { recursive: true });
  await writeFile(join(plain, 'notes', 'a.txt'), 'hello');

  for (const [source, why] of [
    [arrowDir, `${arrowDir} is an Arrow bar store already: nothing to migrate (tapedeck data list --data ${arrowDir} shows it).`],
    [plain, `${plain} is not a lowdb bar store: it has no <SYMBOL>/<interval>/<YYYY-MM>.json files.`],
    [join(dir, 'nowhere'), `${join(dir, 'nowhere')} is not a lowdb bar store: there is no such folder.`],
  ] as const) {
    const run = await runCli(['data', 'migrate', source, '--data', target]);
    t.is(run.code, 1, source);
    t.is(run.stderr, `✗ ${why}\n`);
    t.is(run.stdout, '');
  }
  t.false(existsSync(target));
  const same = await runCli(['data', 'migrate', arrowDir, '--data', arrowDir]);
  t.is(same.code, 2);
});

test('data export writes CSV that data import reads back to the same bars, or an Arrow file', async (t) => {
  const dir = await temp(t);
  const data = join(dir, 'data');
  await generate(t, data);
  const window = [nyse.session('2024-03-08')!.open - 6 * 3_600_000, nyse.session('2024-03-11')!.close + 6 * 3_600_000] as const;
  const bars = await new ArrowBarStore(data).getBars('AAPL', '1m', ...window);
  t.true(bars.length > 700);

  const csv = await runCli(['data', 'export', 'AAPL', '--from', '2024-03-08', '--to', '2024-03-11', '--data', data]);
  t.is(csv.code, 0, csv.stderr);
  t.is(csv.stdout.split('\n')[0], 'time,open,high,low,close,volume');
  t.is(csv.stdout.trimEnd().split('\n').length, bars.length + 1);
  const file = join(dir, 'aapl.csv');
  await writeFile(file, csv.stdout);
  const imported = join(dir, 'imported');
  const back = await runCli(['data', 'import', file, '--symbol', 'AAPL', '--data', imported]);
  t.is(back.code, 0, back.stderr);
  t.deepEqual(await new ArrowBarStore(imported).getBars('AAPL', '1m', ...window), bars);

  const out = join(dir, 'aapl.arrow');
  const arrow = await runCli(['data', 'export', 'AAPL', '--from', '2024-03-08', '--to', '2024-03-11', '--format', 'arrow', '--out', out, '--data', data]);
  t.is(arrow.code, 0, arrow.stderr);
  t.regex(arrow.stdout, new RegExp(`^✓ Exported ${bars.length} bars of AAPL 1m \\(2024-03-08T14:30:00.000Z → .*\\) to ${out}\\n$`));
  const table = tableFromIPC(await readFile(out));
  t.deepEqual(table.schema.fields.map((field) => field.name), ['symbol', 't', 'o', 'h', 'l', 'c', 'v']);
  t.is(table.numRows, bars.length);
  t.deepEqual([...table.getChild('c')!.toArray()], bars.map((bar) => bar.c));

  const none = await runCli(['data', 'export', 'AAPL', '--from', '2024-03-09', '--to', '2024-03-10', '--data', data, '--out', join(dir, 'none.csv')]);
  t.is(none.code, 1);
  t.regex(none.stderr, /^✗ No 1m bars of AAPL from 2024-03-09 to 2024-03-10 in /);
  t.false(existsSync(join(dir, 'none.csv')));
  t.is((await runCli(['data', 'export', 'AAPL', '--from', '2024-03-11', '--to', '2024-03-08', '--data', data])).code, 2);
  t.is((await runCli(['data', 'export', 'AAPL', '--from', '2024-03-08', '--to', '2024-03-08', '--format', 'xml', '--data', data])).code, 2);
});

test('--store lowdb keeps the JSON store working; an Arrow read of a lowdb store says what to do; a bad --store is a usage error', async (t) => {
  const dir = await temp(t);
  const data = join(dir, 'lowdb');
  await generate(t, data, ['--store', 'lowdb']);
  t.deepEqual(await new LowdbBarStore(data).symbols(), ['AAPL', 'MSFT']);
  t.false(existsSync(join(data, 'catalog.json')));

  const csv = join(dir, 'ibm.csv');
  await writeFile(csv, 'timestamp,open,high,low,close,volume\n2024-03-08 09:30,10,11,9,10.5,100\n2024-03-08 09:31,10,11,9,10.5,100\n');
  const imported = await runCli(['data', 'import', csv, '--symbol', 'IBM', '--data', data, '--store', 'lowdb']);
  t.is(imported.code, 0, imported.stderr);
  t.is((await new LowdbBarStore(data).getBars('IBM', '1m', FROM, TO)).length, 2);

  const backtest = ['backtest', '--date', '2024-03-08', '--symbols', 'AAPL,IBM', '--speed', 'max', '--data', data, '--run-dir', join(dir, 'run')];
  const onLowdb = await runCli([...backtest, '--store', 'lowdb', '--json']);
  t.is(onLowdb.code, 0, onLowdb.stderr);
  t.like(JSON.parse(onLowdb.stdout).symbols, [{ symbol: 'AAPL', status: 'active' }, { symbol: 'IBM', status: 'active', loaded: 2 }]);
  const exported = await runCli(['data', 'export', 'IBM', '--from', '2024-03-08', '--to', '2024-03-08', '--data', data, '--store', 'lowdb']);
  t.is(exported.stdout, 'time,open,high,low,close,volume\n2024-03-08T14:30:00.000Z,10,11,9,10.5,100\n2024-03-08T14:31:00.000Z,10,11,9,10.5,100\n');

  const asArrow = await runCli(backtest);
  t.is(asArrow.code, 1);
  t.is(asArrow.stderr, `✗ ${data} holds JSON month files (a lowdb store), not Arrow files: pass --store lowdb, or convert it with "tapedeck data migrate ${data} --data <new-dir>".\n`);

  const listed = await runCli(['data', 'list', '--data', data]);
  t.is(listed.code, 1);
  t.is(listed.stderr, `✗ ${data} holds JSON month files (a lowdb store), not Arrow files: only an Arrow store has a catalog; convert it with "tapedeck data migrate ${data} --data <new-dir>".\n`);

  for (const args of [backtest, ['data', 'generate', '--symbols', 'AAPL', '--from', '2024-03-08', '--to', '2024-03-08', '--data', join(dir, 'bad')], ['demo', '--run-dir', join(dir, 'bad')]]) {
    const bad = await runCli([...args, '--store', 'json']);
    t.is(bad.code, 2, args[0]);
    t.is(bad.stderr, "✗ Option '--store <arrow|lowdb>' argument 'json' is invalid. Use arrow (Apache Arrow files, the default) or lowdb (JSON month files). Add --help for usage.\n");
  }
  t.false(existsSync(join(dir, 'bad')));
});
