import { fc, testProp } from '@fast-check/ava';
import { daysArb, runScenario, STREAM_SETS, SYMBOL_POOL, type Op } from '../support/session-scenario.js';

// Promises 3 and 4: the clock stands still and the strategy sees nothing while the session is
// deactivated; every listener sees each bar once, in non-decreasing close time, never early.
// runScenario records violations of both as they happen; this property drives many runs.

const MINUTES = 47;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ at: fc.nat(MINUTES - 1), kind: fc.constant('add' as const), symbol: fc.constantFrom(...SYMBOL_POOL), streams: fc.constantFrom(...STREAM_SETS) }) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(MINUTES - 1), kind: fc.constant('remove' as const), symbol: fc.constantFrom(...SYMBOL_POOL), immediate: fc.boolean() }) },
);

testProp(
  'the clock never moves while deactivated, and bars arrive once each in close order with no look-ahead',
  [daysArb(SYMBOL_POOL, MINUTES), fc.subarray(SYMBOL_POOL), fc.array(opArb, { maxLength: 10 }), fc.scheduler()],
  async (t, days, configured, ops, scheduler) => {
    const run = await runScenario({ minutes: MINUTES, days, configured: configured.map((symbol) => ({ symbol, streams: ['1m', '5m', '15m'] })), ops }, scheduler);
    t.deepEqual(run.violations, []);
    for (let i = 1; i < run.closes.length; i++) t.true(run.closes[i - 1]! <= run.closes[i]!, `bar ${i} closes before bar ${i - 1}`);
    const pausedMinutes = run.session.summary().pauses.filter((p) => p.reason === 'add').map((p) => p.simTime);
    t.true(pausedMinutes.every((at, i) => i === 0 || pausedMinutes[i - 1]! < at), 'one pause per step at most');
  },
  { numRuns: 150 },
);
