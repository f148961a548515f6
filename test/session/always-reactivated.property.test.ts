import { fc, testProp } from '@fast-check/ava';
import { daysArb, runScenario, STREAM_SETS, SYMBOL_POOL, type Op } from '../support/session-scenario.js';
import type { LoadScript } from '../support/scripted-store.js';

// Promise 2: whatever goes wrong in a load, removal or stop, the session comes back active with
// notifications on, and the failure is on the symbol and in the caller's promise.

const MINUTES = 40;
const faultArb: fc.Arbitrary<LoadScript> = fc.oneof(
  fc.constant<LoadScript>({ kind: 'ok' }),
  fc.constant<LoadScript>({ kind: 'throw' }),
  fc.constant<LoadScript>({ kind: 'reject' }),
  fc.constant<LoadScript>({ kind: 'hang' }),
  fc.constant<LoadScript>({ kind: 'bars', bars: [{ t: 1, o: Number.NaN, h: 1, l: 0, c: 1, v: 1 }] }),
  fc.constant<LoadScript>({ kind: 'bars', bars: 'not bars' as never }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ at: fc.nat(MINUTES - 1), kind: fc.constant('add' as const), symbol: fc.constantFrom(...SYMBOL_POOL), streams: fc.constantFrom(...STREAM_SETS) }) },
  { weight: 2, arbitrary: fc.record({ at: fc.nat(MINUTES - 1), kind: fc.constant('remove' as const), symbol: fc.constantFrom(...SYMBOL_POOL), immediate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(MINUTES - 1), kind: fc.constant('stop' as const) }) },
);

const expectedCodes: Record<LoadScript['kind'], string[]> = {
  ok: ['active', 'REMOVED', 'STOPPED', 'NO_DATA'],
  throw: ['LOAD_FAILED', 'REMOVED', 'STOPPED'],
  reject: ['LOAD_FAILED', 'REMOVED', 'STOPPED'],
  hang: ['LOAD_TIMEOUT', 'REMOVED', 'STOPPED'],
  bars: ['NO_DATA', 'LOAD_FAILED', 'REMOVED', 'STOPPED'],
  gate: [],
};

testProp(
  'whatever fails, the session ends active with notifications on and every failure reported',
  [daysArb(SYMBOL_POOL, MINUTES), fc.tuple(...SYMBOL_POOL.map(() => faultArb)), fc.array(opArb, { minLength: 1, maxLength: 8 }), fc.scheduler()],
  async (t, days, faults, ops, scheduler) => {
    const scripts = Object.fromEntries(SYMBOL_POOL.map((s, i) => [s, faults[i]!]));
    const run = await runScenario({ minutes: MINUTES, days, configured: [{ symbol: 'AAA' }], ops, scripts, loadTimeoutMs: 15 }, scheduler);
    const { session } = run;
    t.deepEqual(run.violations, []);
    t.is(session.state, 'closed');
    t.true(session.data.isActive, 'data visible after the end');
    t.false(session.notificationsPaused, 'notifications on after the end');
    for (const { symbol, outcome } of run.outcomes) {
      const kind = scripts[symbol]!.kind;
      t.true(expectedCodes[kind].includes(outcome), `${symbol} (${kind}) settled as ${outcome}`);
    }
    for (const info of session.listDynamic()) {
      if (info.status === 'failed') t.truthy(info.error?.code, `${info.symbol} failed with a reason`);
      t.false(['queued', 'loading', 'catchingUp'].includes(info.status), `${info.symbol} left ${info.status}`);
    }
    const stopped = ops.some((op) => op.kind === 'stop');
    if (!stopped) t.is(session.clock.now(), session.tradingSession.close, 'the stream ran to the close');
  },
  { numRuns: 120 },
);
