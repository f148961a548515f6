import { fc, testProp } from '@fast-check/ava';
import type { Interval } from 'tapedeck';
import { daysArb, runScenario, STREAM_SETS, SYMBOL_POOL, type Op, type Scenario } from '../support/session-scenario.js';

// Promise 1: a symbol added at any moment ends the day exactly as if it had been configured at
// the open, and its listeners hear that run's stream minus what closed before the catch-up.

const X = 'XXX';
const MINUTES = [30, 47, 65];

const scenarioArb = fc.constantFrom(...MINUTES).chain((minutes) =>
  fc.record({
    minutes: fc.constant(minutes),
    days: daysArb([...SYMBOL_POOL, X], minutes),
    configured: fc.subarray(SYMBOL_POOL.slice(0, 2)).map((symbols) => symbols.map((symbol) => ({ symbol, streams: ['1m', '5m'] as Interval[] }))),
    xStreams: fc.constantFrom(...STREAM_SETS),
    xAt: fc.integer({ min: 0, max: minutes - 1 }),
    others: fc.array(
      fc.oneof(
        fc.record({ at: fc.nat(minutes - 1), kind: fc.constant('add' as const), symbol: fc.constantFrom(...SYMBOL_POOL), streams: fc.constantFrom(...STREAM_SETS) }),
        fc.record({ at: fc.nat(minutes - 1), kind: fc.constant('remove' as const), symbol: fc.constantFrom(...SYMBOL_POOL), immediate: fc.boolean() }),
      ),
      { maxLength: 6 },
    ),
    scheduler: fc.scheduler(),
  }),
);

testProp(
  'an added symbol ends the day as if configured at the open, for every interval and on the stream',
  [scenarioArb],
  async (t, { minutes, days, configured, xStreams, xAt, others, scheduler }) => {
    const withAdd: Scenario = { minutes, days, configured, ops: [...(others as Op[]), { at: xAt, kind: 'add', symbol: X, streams: xStreams }] };
    const fromOpen: Scenario = { minutes, days, configured: [...configured, { symbol: X, streams: xStreams }], ops: others as Op[] };

    const added = await runScenario(withAdd, scheduler);
    const reference = await runScenario(fromOpen);
    t.deepEqual(added.violations, []);
    t.deepEqual(reference.violations, []);

    for (const interval of xStreams) {
      t.deepEqual(
        added.session.data.getBarsSince(X, 0, interval),
        reference.session.data.getBarsSince(X, 0, interval),
        `${X} ${interval} at the close`,
      );
    }
    const pause = added.session.summary().pauses.find((p) => p.symbols.includes(X));
    t.truthy(pause, `${X} was caught up in a pause`);
    const caughtUpAt = pause!.simTime;
    const close = added.session.tradingSession.close;
    const referenceStream = reference.bars.filter((b, i) => b.symbol === X && reference.closes[i]! > caughtUpAt);
    t.deepEqual(added.bars.filter((b) => b.symbol === X), referenceStream, `${X}'s stream after ${(caughtUpAt - added.session.tradingSession.open) / 60_000} min`);
    t.is(added.session.clock.now(), close);
  },
  { numRuns: 150 },
);
