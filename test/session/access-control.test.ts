import test from 'ava';
import { harness, pausedOnHeldLoad } from '../support/session-harness.js';

/** A session paused mid-catch-up: TSLA's load is held by the store until `release`. */
async function pausedSession() {
  const h = harness({ symbols: ['AAPL', { symbol: 'MSFT', streams: ['1m', '5m'] }] });
  return { ...h, ...(await pausedOnHeldLoad(h)) };
}

const reads = {
  getLatestBar: (d: import('tapedeck').SessionData) => d.getLatestBar('AAPL'),
  getLastNBars: (d: import('tapedeck').SessionData) => d.getLastNBars('MSFT', 3, '5m'),
  getBarsSince: (d: import('tapedeck').SessionData, since: number) => d.getBarsSince('AAPL', since),
  getBarCount: (d: import('tapedeck').SessionData) => d.getBarCount('AAPL'),
  getActiveSymbols: (d: import('tapedeck').SessionData) => d.getActiveSymbols(),
  getSymbolData: (d: import('tapedeck').SessionData) => d.getSymbolData('MSFT'),
};

for (const [name, read] of Object.entries(reads)) {
  test(`${name} answers while streaming and is empty while deactivated`, async (t) => {
    const h = await pausedSession();
    const since = h.session.tradingSession.open;
    t.is(h.session.state, 'paused');
    const hidden = read(h.session.data, since);
    t.true(hidden === undefined || hidden === 0 || (Array.isArray(hidden) && hidden.length === 0), `${name} while deactivated: ${JSON.stringify(hidden)}`);

    h.store.release('TSLA');
    await h.step;
    await h.added;
    t.is(h.session.state, 'streaming');
    const visible = read(h.session.data, since);
    t.truthy(visible);
    if (Array.isArray(visible)) t.true(visible.length > 0);
    if (typeof visible === 'number') t.is(visible, 11);
  });
}

test('the data hidden during the pause is the same data shown after it, plus the new symbol', async (t) => {
  const h = await pausedSession();
  h.store.release('TSLA');
  await h.step;
  t.deepEqual(h.session.data.getActiveSymbols().sort(), ['AAPL', 'MSFT', 'TSLA']);
  t.is(h.session.data.getBarCount('MSFT', '5m'), 2);
  t.is(h.session.data.getLatestBar('AAPL')?.t, h.session.clock.now() - 60_000);
  t.is(h.session.data.getBarCount('TSLA'), 11);
});
