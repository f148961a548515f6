import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { silentLogger } from '../../model/logger.js';
import { runBacktest } from '../../run/run-backtest.js';
import { JobRunner } from '../../sweep/job-runner.js';
import { mergeChunks, splitDays } from '../../sweep/date-chunks.js';
import { isSweepError } from '../../sweep/sweep-error.js';
import { decodeOutcome, type SweepRun } from '../../sweep/sweep-job.js';
import { importStrategyFile, strategyFileHash } from '../../sweep/strategy-module.js';
import { syntheticStore } from '../run/run-fixture.js';
import { CASH, DAYS, FLAT_DAILY, SYMBOLS } from './sweep-fixture.js';

const store = await syntheticStore(SYMBOLS, DAYS[0]!, DAYS.at(-1)!, { seed: 5 });
const runner = new JobRunner(store);
const run = { strategyFile: FLAT_DAILY, strategyHash: await strategyFileHash(FLAT_DAILY), cash: CASH };

async function chunked(from: string, to: string, params: Record<string, number>, chunks: number): Promise<SweepRun> {
  const ranges = splitDays(DAYS.slice(DAYS.indexOf(from), DAYS.indexOf(to) + 1), chunks);
  const runs: SweepRun[] = [];
  for (const [index, range] of ranges.entries()) {
    const outcome = decodeOutcome(await runner.run({ index, point: 0, params, ...range, chunk: { index, count: ranges.length }, run }));
    if (!('run' in outcome)) throw new Error(outcome.error.message);
    runs.push(outcome.run);
  }
  return mergeChunks(runs, CASH);
}

testProp(
  'date chunks merged equal the serial run: every fill, equity point, day and metric',
  [
    fc
      .tuple(fc.integer({ min: 0, max: DAYS.length - 1 }), fc.integer({ min: 0, max: DAYS.length - 1 }))
      .map(([a, b]) => [DAYS[Math.min(a, b)]!, DAYS[Math.max(a, b)]!] as const),
    fc.integer({ min: 2, max: 4 }),
    fc.integer({ min: 5, max: 40 }).chain((every) => fc.record({ every: fc.constant(every), hold: fc.integer({ min: 1, max: every - 1 }), size: fc.integer({ min: 1, max: 50 }) })),
  ],
  async (t, [from, to], chunks, params) => {
  const serial = await runBacktest({ strategy: await importStrategyFile(FLAT_DAILY), from, to, store, params, cash: CASH, logger: silentLogger });
  const { candles: _candles, ...whole } = serial;
  const merged = await chunked(from, to, params, chunks);
  t.deepEqual(merged, JSON.parse(JSON.stringify(whole)));
  t.true(merged.fills.length > 0, 'the run traded, so fills and order ids are compared');
  },
  { numRuns: 8 },
);

test('a chunk that ends with a position open breaks carry: none and is refused, not merged', async (t) => {
  const [first, second] = await Promise.all(
    splitDays(DAYS, 2).map(async (range, index) => {
      const outcome = decodeOutcome(await runner.run({ index, point: 0, params: {}, ...range, chunk: { index, count: 2 }, run }));
      return (outcome as { run: SweepRun }).run;
    }),
  );
  t.notThrows(() => mergeChunks([first!, second!], CASH));
  const holding = { ...first!, fills: first!.fills.slice(0, -1) };
  const error = t.throws(() => mergeChunks([holding, second!], CASH));
  t.true(isSweepError(error, 'CARRY_VIOLATED'));
  t.regex(error!.message, /declares carry: 'none' but held (AAA|BBB) at the close of 2024-03-0\d/);
});
