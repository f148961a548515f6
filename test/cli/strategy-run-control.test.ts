import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';
import { runCli, startCli, workspace } from './cli-process.js';

const DAYS = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07'];

// A multi-day strategy run in a child process, driven from other processes as from a second
// terminal. At speed 3000 a trading day takes ~8 s, so the requests land in an early day.
test('other processes add and remove symbols during a multi-day strategy run; an add carries to the following days', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  await generateDataset({ store: new ArrowBarStore(ws.data), calendar: nyse, symbols: ['AAPL', 'MSFT', 'TSLA'], from: DAYS[0]!, to: DAYS.at(-1)!, seed: 11 });
  const out = join(ws.root, 'results');
  const run = (...args: string[]) => runCli([...args, '--run-dir', ws.runDir]);
  const backtest = startCli(['backtest', '--strategy', 'test/fixtures/strategies/buy-and-hold.ts', '--from', DAYS[0]!, '--to', DAYS.at(-1)!, '--speed', '3000', '--data', ws.data, '--run-dir', ws.runDir, '--out', out, '--json']);
  t.teardown(() => backtest.kill());
  await backtest.waitFor(/control API http:\/\/127\.0\.0\.1:\d+/, 'stderr', 60_000);

  const added = await run('data', 'add-symbol', 'TSLA', '--wait', '--json');
  t.is(added.code, 0, added.stderr);
  t.like(JSON.parse(added.stdout), { mode: 'backtest', symbol: 'TSLA', status: 'active', streams: ['1m'] });

  // AAPL is bought on its first bar and held: once the bought minute has passed, removing it
  // is refused until flatten is asked for.
  for (let held = false; !held; ) {
    const polled = await run('session', 'status', '--json');
    t.is(polled.code, 0, polled.stderr);
    const status = JSON.parse(polled.stdout);
    held = status.clock.ms >= Date.parse(status.hours.open) + 5 * 60_000;
  }
  const refused = await run('data', 'remove-symbol', 'AAPL', '--json');
  t.is(refused.code, 1);
  t.like(JSON.parse(refused.stdout), { error: { code: 'POSITION_OPEN' } });
  const flattened = await run('data', 'remove-symbol', 'AAPL', '--flatten', '--wait', '--json');
  t.is(flattened.code, 0, flattened.stderr);
  t.like(JSON.parse(flattened.stdout), { symbol: 'AAPL', status: 'removed', waited: true });

  const { code, stdout, stderr } = await backtest.exited;
  t.is(code, 0, stderr);
  const result = JSON.parse(stdout);
  t.deepEqual(result.days.map((d: { date: string }) => d.date), DAYS);
  const day = result.days.findIndex((d: { added: string[] }) => d.added.includes('TSLA'));
  t.true(day >= 0 && day < DAYS.length - 1, `TSLA added on day ${day}, a day before the last`);
  for (const later of result.days.slice(day + 1)) t.true(later.symbols.includes('TSLA'), `TSLA is in the universe of ${later.date}`);
  const removedOn = result.days.findIndex((d: { removed: string[] }) => d.removed.includes('AAPL'));
  t.true(removedOn >= day);
  for (const later of result.days.slice(removedOn + 1)) t.false(later.symbols.includes('AAPL'), `AAPL is gone on ${later.date}`);
  const fills = await readFile(join(out, 'fills.csv'), 'utf8');
  t.regex(fills, /,AAPL,sell,10,.*,flatten\n/);
  t.regex(fills, /,TSLA,buy,10,/);
});

test('a strategy run whose run dir is taken by another session runs without the control API, and says so', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  await generateDataset({ store: new ArrowBarStore(ws.data), calendar: nyse, symbols: ['AAPL', 'MSFT'], from: DAYS[0]!, to: DAYS[1]!, seed: 11 });
  const session = startCli(['backtest', '--date', DAYS[0]!, '--symbols', 'AAPL', '--speed', '1', '--data', ws.data, '--run-dir', ws.runDir]);
  t.teardown(() => session.kill());
  await session.waitFor(/Streaming\./, 'stdout', 60_000);
  const run = await runCli(['backtest', '--strategy', 'test/fixtures/strategies/buy-and-hold.ts', '--from', DAYS[0]!, '--to', DAYS[1]!, '--data', ws.data, '--run-dir', ws.runDir, '--out', join(ws.root, 'results'), '--json']);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stderr, /The control API could not start: Another tapedeck session \(pid \d+, backtest 2024-03-04\) is running with run dir .*; the run goes on without it\./);
  t.deepEqual(JSON.parse(run.stdout).days.map((d: { date: string }) => d.date), DAYS.slice(0, 2));
  const status = await runCli(['session', 'status', '--json', '--run-dir', ws.runDir]);
  t.like(JSON.parse(status.stdout), { mode: 'backtest', date: DAYS[0], running: true }, 'the session keeps its run dir');
});
