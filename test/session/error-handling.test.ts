import test, { type ExecutionContext } from 'ava';
import type { Session, SessionErrorCode } from 'tapedeck';
import { barAt } from '../support/day-data.js';
import { harness, pausedOnHeldLoad, type Harness } from '../support/session-harness.js';
import type { LoadScript } from '../support/scripted-store.js';

/** The session came back: streaming (or closed), data visible, notifications on, clock free. */
function assertReactivated(t: ExecutionContext, session: Session): void {
  t.true(['streaming', 'closed'].includes(session.state), `state ${session.state}`);
  t.true(session.data.isActive, 'session data visible');
  t.false(session.notificationsPaused, 'notifications on');
  t.true(session.data.getActiveSymbols().includes('AAPL'));
}

async function addFailing(script: LoadScript, options: Parameters<typeof harness>[0] = {}): Promise<Harness & { error: unknown }> {
  const h = harness(options);
  await h.session.start();
  await h.session.advance(10);
  h.store.script('TSLA', script);
  const added = h.session.addSymbol('TSLA');
  await h.session.advance(1);
  const error = await added.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { ...h, error };
}

const failures: Array<[string, LoadScript, SessionErrorCode, Parameters<typeof harness>[0]?]> = [
  ['the loader throws', { kind: 'throw', message: 'disk on fire' }, 'LOAD_FAILED'],
  ['the loader rejects', { kind: 'reject', message: 'network down' }, 'LOAD_FAILED'],
  ['the loader hangs past its timeout', { kind: 'hang' }, 'LOAD_TIMEOUT', { loadTimeoutMs: 30 }],
  ['the loader returns only bad bars', { kind: 'bars', bars: [{ ...barAt(0, 1), h: Number.NaN }, barAt(1, 1)] }, 'NO_DATA'],
  ['the store has nothing', { kind: 'bars', bars: [] }, 'NO_DATA'],
  ['the loader answers with something that is not bars', { kind: 'bars', bars: null as never }, 'LOAD_FAILED'],
];

for (const [what, script, code, options] of failures) {
  test(`reactivated after ${what}: the symbol fails with ${code} and the caller hears it`, async (t) => {
    const h = await addFailing(script, options);
    t.is((h.error as { code?: string })?.code, code);
    assertReactivated(t, h.session);
    const tsla = h.session.listDynamic().find((s) => s.symbol === 'TSLA')!;
    t.is(tsla.status, 'failed');
    t.is(tsla.error?.code, code);
    t.false(h.session.data.getActiveSymbols().includes('TSLA'));
    t.true(h.logs.some((line) => line.includes('TSLA failed')));
    const before = h.bars.length;
    await h.session.advance(3);
    t.is(h.bars.length, before + 3, 'the stream goes on');
  });
}

test('a failure in one add does not spoil the others caught up in the same pause', async (t) => {
  const h = harness();
  await h.session.start();
  await h.session.advance(10);
  h.store.script('TSLA', { kind: 'reject' });
  const bad = h.session.addSymbol('TSLA');
  const good = h.session.addSymbol('NVDA');
  await h.session.advance(0);
  await t.throwsAsync(bad, { instanceOf: Error });
  t.is((await good).status, 'active');
  t.is(h.session.data.getBarCount('NVDA'), 10);
  assertReactivated(t, h.session);
});

test('reactivated when the symbol is removed while it loads; the caller hears REMOVED', async (t) => {
  const h = harness();
  const { added, step } = await pausedOnHeldLoad(h);
  t.is(h.session.state, 'paused');
  await h.session.removeSymbol('TSLA');
  await step;
  const error = await t.throwsAsync(added);
  t.is((error as { code?: string }).code, 'REMOVED');
  assertReactivated(t, h.session);
  t.is(h.session.listDynamic()[0]?.status, 'removed');
  t.is(h.session.clock.now(), h.session.tradingSession.open + 11 * 60_000);
  h.store.release('TSLA');
  await h.session.advance(1);
  t.false(h.session.data.getActiveSymbols().includes('TSLA'), 'a load that lands after removal is ignored');
});

test('reactivated when the session is stopped mid-catch-up; the caller hears STOPPED', async (t) => {
  const h = harness();
  const { added } = await pausedOnHeldLoad(h);
  t.is(h.session.state, 'paused');
  const summary = await h.session.stop();
  const error = await t.throwsAsync(added);
  t.is((error as { code?: string }).code, 'STOPPED');
  assertReactivated(t, h.session);
  t.is(h.session.state, 'closed');
  t.true(summary.stopped);
  t.is(summary.endedAt, h.session.tradingSession.open + 10 * 60_000, 'the clock never moved past the pause');
  t.is(summary.symbols.find((s) => s.symbol === 'TSLA')?.status, 'failed');
});

test('a configured symbol with no data fails without stopping the session', async (t) => {
  const h = harness({ symbols: ['AAPL', 'GHOST'] });
  await h.session.start();
  assertReactivated(t, h.session);
  t.is(h.session.listSymbols().find((s) => s.symbol === 'GHOST')?.error?.code, 'NO_DATA');
  await h.session.advance(2);
  t.is(h.bars.length, 2);
});

test('an observer that throws is logged and the session goes on', async (t) => {
  const h = harness();
  h.session.on('state', () => {
    throw new Error('observer bug');
  });
  await h.session.start();
  await h.session.advance(60);
  t.is((await h.session.done).endedAt, h.session.tradingSession.close);
  t.true(h.logs.some((line) => line.includes("'state' observer threw")));
});
