import test from 'ava';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from './cli-process.js';
import { DAYS, FLAT_DAILY, fixtureStore } from '../sweep/sweep-fixture.js';

// `tapedeck sweep`: exit 0 when every parameter set ran, 3 when some failed, 2 for what was
// typed wrong, 1 when the queue cannot be reached.

test('a sweep prints progress and the ranked table, writes its files and exits 0', async (t) => {
  const { root, data } = await fixtureStore(t);
  const out = join(root, 'out');
  const run = await runCli(['sweep', '--strategy', FLAT_DAILY, '--from', DAYS[0]!, '--to', DAYS[1]!, '--param', 'every=11,17', '--param', 'hold=3..5:2', '--workers', '2', '--rank', 'totalReturn', '--top', '3', '--data', data, '--out', out]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
  t.regex(run.stdout, /^jobs 0\/4\n/);
  t.regex(run.stdout, /jobs 2\/4 · ETA \S+/);
  t.regex(run.stdout, /\njobs 4\/4\nflat-daily sweep · 2024-03-04 → 2024-03-05 · 4 parameter sets · 4 jobs\n/);
  t.regex(run.stdout, /│ # │ every │ hold │ totalReturn │ total return │ max drawdown │ trades │/);
  t.is(run.stdout.match(/^│ \d /gm)?.length, 3, 'the top 3 of 4');
  t.deepEqual((await readdir(out)).sort(), ['runs', 'sweep.csv', 'sweep.html', 'sweep.json']);
  const sweep = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8'));
  t.deepEqual(sweep.grid, [{ name: 'every', values: [11, 17] }, { name: 'hold', values: [3, 5] }]);
  t.deepEqual(sweep.heatmap, ['every', 'hold']);
});

test('a sweep where one parameter set throws names it, finishes the others and exits 3', async (t) => {
  const { data, root } = await fixtureStore(t);
  const run = await runCli(['sweep', '--strategy', FLAT_DAILY, '--from', DAYS[0]!, '--to', DAYS[1]!, '--param', 'every=11,17', '--param', 'fail=17', '--workers', '1', '--data', data, '--out', join(root, 'out')]);
  t.is(run.code, 3, run.stderr);
  t.regex(run.stdout, /✗ every=17 fail=17: STRATEGY_FAILED: Strategy flat-daily threw on 2024-03-05: every=17 is the failing value\n/);
  t.is(run.stderr, '✗ 1 of 2 parameter sets failed: every=17 fail=17.\n');
});

test('what was typed wrong exits 2 with one line saying what to type', async (t) => {
  const { data } = await fixtureStore(t);
  const base = ['sweep', '--strategy', FLAT_DAILY, '--from', DAYS[0]!, '--data', data];
  const grid = await runCli([...base, '--param', 'every=30..5']);
  t.is(grid.code, 2);
  t.regex(grid.stderr, /^✗ .*'every=30\.\.5' is invalid\. every: the range 30\.\.5 ends before it starts\. Add --help for usage\.\n$/);
  const typed = await runCli([...base, '--param', 'every=5..']);
  t.is(typed.code, 2);
  t.is(typed.stderr, '✗ Param every takes a number (its default is 23), got "5..".\n');
  const unknown = await runCli([...base, '--param', 'nope=1,2']);
  t.is(unknown.code, 2);
  t.is(unknown.stderr, '✗ Unknown param nope: the strategy declares every, hold, size, fail, gate.\n');
  const missing = await runCli(['sweep', '--strategy', 'nowhere.ts', '--from', DAYS[0]!, '--param', 'every=1', '--data', data]);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /^✗ No strategy file at nowhere\.ts/);
});

test('a sweep or a worker whose Redis does not answer exits 1 with QUEUE_UNREACHABLE', async (t) => {
  const { data } = await fixtureStore(t);
  const run = await runCli(['sweep', '--strategy', FLAT_DAILY, '--from', DAYS[0]!, '--param', 'every=11', '--data', data, '--queue', 'redis://127.0.0.1:1', '--queue-timeout', '1', '--json']);
  t.is(run.code, 1);
  t.deepEqual(JSON.parse(run.stdout), { error: { code: 'QUEUE_UNREACHABLE', message: 'Redis at redis://127.0.0.1:1 did not answer within 1 s: start it (redis-server), check the URL, then run the sweep again.' } });
  const worker = await runCli(['worker', '--queue', 'redis://127.0.0.1:1', '--data', data, '--queue-timeout', '1']);
  t.is(worker.code, 1);
  t.is(worker.stderr, '✗ Redis at redis://127.0.0.1:1 did not answer within 1 s: start it (redis-server) or check the URL.\n');
});
