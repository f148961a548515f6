import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runSweep } from '../../sweep/run-sweep.js';
import { CASH, DAYS, FLAT_DAILY, fixtureStore, pointRuns, serialRuns } from './sweep-fixture.js';

const daysArbitrary = fc
  .tuple(fc.integer({ min: 0, max: DAYS.length - 1 }), fc.integer({ min: 0, max: 2 }))
  .map(([start, more]) => [DAYS[start]!, DAYS[Math.min(DAYS.length - 1, start + more)]!] as const);
const gridArbitrary = fc.record({
  every: fc.uniqueArray(fc.integer({ min: 8, max: 40 }), { minLength: 1, maxLength: 3 }),
  hold: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 2 }),
});

testProp(
  'a sweep gives the serial runs, with 1 worker thread or 3, whatever the grid and days',
  [daysArbitrary, gridArbitrary],
  async (t, [from, to], grid) => {
    const { data } = await fixtureStore(t);
    const axes = [`every=${grid.every.join(',')}`, `hold=${grid.hold.join(',')}`];
    const sets = grid.every.flatMap((every) => grid.hold.map((hold) => ({ every, hold })));
    const serial = await serialRuns(data, from, to, sets);
    for (const workers of [1, 3]) {
      const sweep = await runSweep({ strategy: FLAT_DAILY, from, to, grid: axes, data, workers, cash: CASH, chunks: 1 });
      t.deepEqual(pointRuns(sweep.points), serial, `${workers} workers`);
    }
  },
  { numRuns: 4 },
);

test('a carry: none strategy split into date chunks across threads gives the serial runs', async (t) => {
  const { data } = await fixtureStore(t);
  const serial = await serialRuns(data, DAYS[0]!, DAYS.at(-1)!, [{ every: 13 }, { every: 29 }]);
  const sweep = await runSweep({ strategy: FLAT_DAILY, from: DAYS[0]!, to: DAYS.at(-1)!, grid: ['every=13,29'], data, workers: 2, chunks: 3, cash: CASH });
  t.is(sweep.jobs, 6);
  t.deepEqual(pointRuns(sweep.points), serial);
});

test('a parameter set whose strategy throws is reported with its params and error; the others finish and are written', async (t) => {
  const { root, data } = await fixtureStore(t);
  const out = join(root, 'results', 'throwing');
  const progress: Array<[number, number]> = [];
  const sweep = await runSweep({
    strategy: FLAT_DAILY,
    from: DAYS[0]!,
    to: DAYS[2]!,
    grid: ['every=11,17,23', 'fail=17'],
    data,
    workers: 2,
    rank: 'totalReturn',
    out,
    onProgress: (p) => progress.push([p.done, p.failed]),
  });
  t.deepEqual(
    sweep.failed.map((p) => [p.params.every, p.error.code, p.error.message]),
    [[17, 'STRATEGY_FAILED', 'Strategy flat-daily threw on 2024-03-05: every=17 is the failing value']],
  );
  t.deepEqual(sweep.ranked.map((p) => p.params.every).sort(), [11, 23]);
  t.deepEqual(progress.at(-1), [3, 1]);
  t.deepEqual(progress.map(([done]) => done), [0, 1, 2, 3]);

  const written = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8'));
  t.is(written.points.length, 3);
  t.like(written.points[1], { params: { every: 17 }, error: { code: 'STRATEGY_FAILED' } });
  t.deepEqual(written.ranked, sweep.ranked.map((p) => p.point));
  t.deepEqual((await readdir(join(out, 'runs'))).sort(), ['0', '2']);
  const result = JSON.parse(await readFile(join(out, 'runs', '2', 'result.json'), 'utf8'));
  t.deepEqual(result.metrics, sweep.points[2]!.run!.metrics);
  const csv = (await readFile(join(out, 'sweep.csv'), 'utf8')).trimEnd().split('\n');
  t.is(csv.length, 4);
  t.regex(csv[0]!, /^point,every,hold,size,fail,gate,totalReturn,.*,error$/);
  t.regex(csv[2]!, /^1,17,.*,STRATEGY_FAILED: Strategy flat-daily threw/);
});
