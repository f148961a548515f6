import { fc, testProp } from '@fast-check/ava';
import type { Interval } from 'tapedeck';
import { daysArb, STREAM_SETS } from '../support/session-scenario.js';
import { runDriven, type Driver, type PlannedRequest, type SpeedScenario } from '../support/speed-run.js';

// Promise 6: speed never changes results. A strategy's requests, made from its bar listener and
// from the requests' `.then`, take effect at the next minute however the clock is stepped; the
// whole onBar log — each bar with clock.now() and what was read then — the pauses and the data
// at the close are the same at 'max', at a numeric speed and by hand, for any maxBatchMinutes.
// Every request's promise settles by `done`.

const MINUTES = 40;
const POOL = ['AAA', 'BBB', 'CCC'];

const requestArb: fc.Arbitrary<PlannedRequest> = fc.oneof(
  fc.record(
    {
      at: fc.nat(MINUTES),
      kind: fc.constant('add' as const),
      symbol: fc.constantFrom(...POOL),
      streams: fc.constantFrom(...STREAM_SETS),
      thenRemove: fc.constantFrom('graceful' as const, 'immediate' as const),
    },
    { requiredKeys: ['at', 'kind', 'symbol', 'streams'] },
  ),
  fc.record(
    {
      at: fc.nat(MINUTES),
      kind: fc.constant('remove' as const),
      symbol: fc.constantFrom(...POOL),
      immediate: fc.boolean(),
      thenAdd: fc.constantFrom<Interval[][]>(...STREAM_SETS),
    },
    { requiredKeys: ['at', 'kind', 'symbol', 'immediate'] },
  ),
);

const scenarioArb: fc.Arbitrary<SpeedScenario> = fc.record({
  minutes: fc.constant(MINUTES),
  days: daysArb(POOL, MINUTES),
  configured: fc.subarray(POOL, { minLength: 1 }).map((symbols) => symbols.map((symbol) => ({ symbol, streams: ['1m', '5m'] as Interval[] }))),
  plan: fc.array(requestArb, { maxLength: 8 }),
});

const batchArb = fc.integer({ min: 1, max: MINUTES + 5 });
const otherDriversArb: fc.Arbitrary<Driver[]> = fc.tuple(batchArb, batchArb, batchArb, fc.array(fc.integer({ min: -12, max: 12 }), { maxLength: 12 })).map(
  ([maxBatch, speedBatch, chunkBatch, steps]) => [
    { kind: 'max' },
    { kind: 'max', maxBatchMinutes: maxBatch },
    // 0.1 ms of real time per simulated minute: timers fire late, so steps cover several minutes.
    { kind: 'speed', speed: 600_000, maxBatchMinutes: speedBatch },
    { kind: 'chunks', steps, maxBatchMinutes: chunkBatch },
  ],
);

testProp(
  'the onBar log, every read made in it, the pauses and the data are the same at every speed; every request settles by done',
  [scenarioArb, otherDriversArb],
  async (t, scenario, drivers) => {
    const reference = await runDriven(scenario, { kind: 'by-minute' }, POOL);
    t.deepEqual(reference.unsettled, [], 'by-minute: every request settled by done');
    for (const driver of drivers) {
      const run = await runDriven(scenario, driver, POOL);
      const label = JSON.stringify(driver);
      t.deepEqual(run.unsettled, [], `${label}: every request settled by done`);
      t.deepEqual(run.log, reference.log, `${label}: onBar log`);
      t.deepEqual(run.pauses, reference.pauses, `${label}: pauses`);
      t.deepEqual(run.final, reference.final, `${label}: data at the close`);
    }
  },
  { numRuns: 200 },
);
