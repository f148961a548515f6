import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { runCli } from './cli-process.js';

async function temp(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-data-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('data generate writes a seeded data set into the store', async (t) => {
  const data = join(await temp(t), 'data');
  const { code, stdout, stderr } = await runCli(['data', 'generate', '--symbols', 'AAPL,MSFT', '--from', '2024-03-07', '--to', '2024-03-11', '--seed', '3', '--data', data]);
  t.is(code, 0, stderr);
  t.regex(stdout, new RegExp(`^✓ Generated [\\d,]+ bars for AAPL, MSFT over 3 trading days \\(2024-03-07 … 2024-03-11, seed 3\\) into ${data}\\n$`));
  const store = new ArrowBarStore(data);
  t.deepEqual(Object.keys((await store.catalog()).series).sort(), ['AAPL', 'MSFT']);
  const day = nyse.session('2024-03-11')!;
  t.true((await store.getBars('MSFT', '1m', day.open, day.close)).length > 300);

  const backwards = await runCli(['data', 'generate', '--symbols', 'AAPL', '--from', '2024-03-11', '--to', '2024-03-07', '--data', data]);
  t.is(backwards.code, 2);
  t.regex(backwards.stderr, /^✗ The range starts after it ends/);
});

test('data import reports bad rows with their line numbers and imports nothing without --skip-bad', async (t) => {
  const dir = await temp(t);
  const data = join(dir, 'data');
  const file = join(dir, 'ibm.csv');
  await writeFile(file, 'timestamp,open,high,low,close,volume\n2024-03-08 09:30,10,11,9,10.5,100\n2024-03-08 09:31,10,11,9,oops,100\n2024-03-08 09:32,10,11,9,10.5,100\n');

  const refused = await runCli(['data', 'import', file, '--symbol', 'IBM', '--data', data]);
  t.is(refused.code, 1);
  t.is(refused.stderr, `  line 3: close "oops" is not a number\n✗ ${file}: 1 bad row: nothing was imported from it. Fix them, or pass --skip-bad to import the good rows.\n`);
  const store = new ArrowBarStore(data);
  t.deepEqual((await store.catalog()).series, {});

  const skipped = await runCli(['data', 'import', file, '--symbol', 'IBM', '--data', data, '--skip-bad']);
  t.is(skipped.code, 0, skipped.stderr);
  t.is(skipped.stdout, `✓ Imported 2 bars of IBM 1m from 3 rows of ${file} into ${data} (2024-03-08T14:30:00.000Z → 2024-03-08T14:32:00.000Z)\n1 bad row skipped:\n  line 3: close "oops" is not a number\n`);
  t.is((await store.getBars('IBM', '1m', 0, Date.parse('2025-01-01'))).length, 2);

  const json = await runCli(['data', 'import', file, '--symbol', 'IBM', '--data', data, '--json']);
  t.is(json.code, 1);
  t.like(JSON.parse(json.stdout), { files: [{ file, error: { code: 'BAD_INPUT' }, bad: [{ line: 3 }], badCount: 1 }], imported: 0, failed: 1 });
});

test("calendar shows a day's hours, an early close, or why the exchange is closed", async (t) => {
  const open = await runCli(['calendar', '2024-03-11']);
  t.is(open.code, 0, open.stderr);
  t.is(
    open.stdout,
    '2024-03-11 (Monday) — NYSE open\nOpen   09:30 EDT   13:30 UTC\nClose  16:00 EDT   20:00 UTC\nExtended hours 04:00–20:00 EDT · previous trading day 2024-03-08 · next 2024-03-12\n',
  );
  const early = await runCli(['calendar', '2024-11-29', '--json']);
  t.like(JSON.parse(early.stdout), { trading: true, early: true, close: '2024-11-29T18:00:00.000Z', previous: '2024-11-27', next: '2024-12-02' });
  const closed = await runCli(['calendar', '2024-03-29']);
  t.is(closed.stdout, '2024-03-29 (Friday) — NYSE closed: Good Friday\nPrevious trading day 2024-03-28 · next 2024-04-01\n');
  const bad = await runCli(['calendar', '2024-02-30']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^✗ 2024-02-30 is not a calendar date/);
});

test('two data generate processes writing one store at once both land', async (t) => {
  const data = join(await temp(t), 'data');
  const [first, second] = await Promise.all([
    runCli(['data', 'generate', '--symbols', 'AAPL', '--from', '2024-03-01', '--to', '2024-03-14', '--seed', '1', '--data', data]),
    runCli(['data', 'generate', '--symbols', 'AAPL', '--from', '2024-03-15', '--to', '2024-03-28', '--seed', '2', '--data', data]),
  ]);
  t.is(first.code, 0, first.stderr);
  t.is(second.code, 0, second.stderr);
  const store = new ArrowBarStore(data);
  const days = nyse.tradingDays('2024-03-01', '2024-03-28');
  t.is(days.length, 20);
  for (const date of days) {
    const day = nyse.session(date)!;
    t.true((await store.getBars('AAPL', '1m', day.open, day.close)).length > 300, `${date} is in the store`);
  }
});
