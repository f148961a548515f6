import test, { type ExecutionContext } from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { silentLogger } from '../../model/logger.js';
import { runBacktest } from '../../run/run-backtest.js';
import type { Strategy } from '../../run/strategy.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { RunJournal } from '../../storage/journal/run-journal.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';
import { runCli, startCli, workspace } from './cli-process.js';

// A journaled multi-day strategy run receives adds and removals from other processes through
// the control API on day 1 and on day 2, and is SIGKILLed on day 2 right after the last one is
// acknowledged. Each command was journaled with its day and the minute it was made at (the
// minute the caller was told); the resumed run makes them again at those minutes and ends with
// the result of a run that received the same commands at the same minutes, uninterrupted.
// A strategy with saveState keeps day 1 (its add is in the restored universe); one without
// runs day 1 again with its command.

const DAYS = ['2024-03-04', '2024-03-05', '2024-03-06'];
/** 1200: a day takes ~20 s of wall clock, time for two commands on day 2 before it ends on a loaded machine. */
const SPEED = '1200';

for (const [strategyFile, keeps] of [
  ['test/fixtures/strategies/buy-and-hold-saved.ts', true],
  ['test/fixtures/strategies/buy-and-hold.ts', false],
] as const) {
  test(`${strategyFile}: commands from other processes are journaled with their minute and made again at it by a resume after a kill on day 2`, async (t) => {
    const ws = await workspace();
    t.teardown(() => ws.remove());
    await generateDataset({ store: new ArrowBarStore(ws.data), calendar: nyse, symbols: ['AAPL', 'MSFT', 'TSLA', 'NVDA'], from: '2024-02-26', to: DAYS.at(-1)!, seed: 7 });
    const out = join(ws.root, 'results');
    const args = ['backtest', '--strategy', strategyFile, '--from', DAYS[0]!, '--to', DAYS.at(-1)!, '--data', ws.data, '--run-dir', ws.runDir, '--out', out, '--json'];
    const control = (...more: string[]) => runCli([...more, '--run-dir', ws.runDir, '--json']);
    const backtest = startCli([...args, '--journal', '--speed', SPEED]);
    t.teardown(() => backtest.kill());
    await backtest.waitFor(/control API http:\/\/127\.0\.0\.1:\d+/, 'stderr', 60_000);

    const add = async (symbol: string) => {
      const added = await control('data', 'add-symbol', symbol, '--wait');
      t.is(added.code, 0, added.stderr);
    };
    await add('TSLA');
    const listed = await control('data', 'list-dynamic');
    t.is(listed.code, 0, listed.stderr);
    const tsla = (JSON.parse(listed.stdout) as { symbols: Array<{ symbol: string; addedAt: { sim: string } }> }).symbols.find((s) => s.symbol === 'TSLA')!;
    t.is(RunJournal.read(ws.runDir)?.days.length, 0, 'the add landed on day 1');
    await backtest.waitFor(/Day 2\/3 \S+ streaming/, 'stderr', 120_000);
    await add('NVDA');
    const removed = await control('data', 'remove-symbol', 'MSFT', '--flatten');
    t.is(removed.code, 0, removed.stderr);
    backtest.kill();
    await backtest.exited;
    t.is(backtest.child.signalCode, 'SIGKILL');

    const journal = RunJournal.read(ws.runDir)!;
    t.is(journal.days.length, 1, 'killed on day 2');
    t.deepEqual(
      journal.commands.map(({ date, command }) => [date, command]),
      [
        [DAYS[0], { op: 'add', symbol: 'TSLA', streams: ['1m'] }],
        [DAYS[1], { op: 'add', symbol: 'NVDA', streams: ['1m'] }],
        [DAYS[1], { op: 'remove', symbol: 'MSFT', immediate: false, flatten: true }],
      ],
    );
    // The minute journaled is the one the caller is told the add was made at; day 2's are in its hours, in order.
    t.is(journal.commands[0]!.sim, Date.parse(tsla.addedAt.sim));
    const day2 = nyse.session(DAYS[1]!)!;
    t.true(day2.open <= journal.commands[1]!.sim && journal.commands[1]!.sim <= journal.commands[2]!.sim && journal.commands[2]!.sim < day2.close);
    t.true(journal.days[0]!.summary.symbols.includes('TSLA'), "day 1's universe at its close holds TSLA");

    const resumed = await runCli([...args, '--resume']);
    t.is(resumed.code, 0, resumed.stderr);
    if (keeps) t.regex(resumed.stderr, /Days 1 of 3 kept from the journal; resuming day 2\/3 /);
    else t.regex(resumed.stderr, /Replaying day 1\/3 /);
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    t.true(result.days[1].symbols.includes('TSLA'), 'TSLA, added from outside on day 1, is in the universe of day 2');
    t.deepEqual([result.days[1].added, result.days[1].removed], [['NVDA'], ['MSFT']]);

    const { default: strategy } = (await import(`../../${strategyFile}`)) as { default: Strategy };
    const expectedOut = join(ws.root, 'expected');
    await runBacktest({
      strategy,
      from: DAYS[0]!,
      to: DAYS.at(-1)!,
      store: new ArrowBarStore(ws.data),
      cash: 100_000,
      plan: journal.commands.map(({ date, sim, command }) => ({ date, sim, command })),
      out: expectedOut,
      logger: silentLogger,
    });
    await assertSameFiles(t, out, expectedOut);
  });
}

test('a second strategy run on the journal a running one writes is refused with JOURNAL_BUSY, whether it starts over or resumes', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  await generateDataset({ store: new ArrowBarStore(ws.data), calendar: nyse, symbols: ['AAPL', 'MSFT'], from: DAYS[0]!, to: DAYS[1]!, seed: 7 });
  const args = ['backtest', '--strategy', 'test/fixtures/strategies/buy-and-hold.ts', '--from', DAYS[0]!, '--to', DAYS[1]!, '--data', ws.data, '--run-dir', ws.runDir, '--out', join(ws.root, 'results'), '--json'];
  // 60: a simulated minute a second, so the first run is still running when the others try.
  const first = startCli([...args, '--journal', '--speed', '60']);
  t.teardown(() => first.kill());
  await first.waitFor(/Day 1\/2 \S+ streaming/, 'stderr', 60_000);
  for (const second of ['--journal', '--resume']) {
    const refused = await runCli([...args, second]);
    t.is(refused.code, 2, refused.stderr);
    t.like(JSON.parse(refused.stdout), { error: { code: 'JOURNAL_BUSY' } });
    t.regex(refused.stdout, /holds the journal of a run of buy-and-hold that is still running \(pid \d+\)\. Give this run another --run-dir/);
  }
  t.is(first.child.exitCode, null, 'the first run still runs');
  t.is(RunJournal.read(ws.runDir)?.pid, first.child.pid, 'its journal is untouched');
});

async function assertSameFiles(t: ExecutionContext, actual: string, expected: string): Promise<void> {
  for (const name of ['result.json', 'fills.csv', 'trades.csv', 'equity.csv', 'report.html']) {
    t.true((await readFile(join(actual, name), 'utf8')) === (await readFile(join(expected, name), 'utf8')), `${name} differs from the uninterrupted run's`);
  }
}
