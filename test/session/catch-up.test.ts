import test from 'ava';
import { harness } from '../support/session-harness.js';

test('an added symbol is queued, then loading, catching up and active, in that order', async (t) => {
  const h = harness();
  const statuses: string[] = [];
  h.session.on('symbol', ({ symbol, status }) => symbol === 'TSLA' && statuses.push(status));
  await h.session.start();
  await h.session.advance(5);
  const added = h.session.addSymbol('TSLA');
  await h.session.advance(1);
  await added;
  t.deepEqual(statuses, ['queued', 'loading', 'catchingUp', 'active']);
});

test("each status says where its symbol came from: the session's own configured, an added one dynamic", async (t) => {
  const h = harness();
  const told: string[] = [];
  h.session.on('symbol', ({ symbol, origin, status }) => told.push(`${symbol} ${origin} ${status}`));
  await h.session.start();
  const added = h.session.addSymbol('TSLA');
  await h.session.advance(1);
  await added;
  t.deepEqual(told.filter((line) => line.endsWith(' active')), ['AAPL configured active', 'TSLA dynamic active']);
  t.true(told.every((line) => line.startsWith('AAPL configured ') || line.startsWith('TSLA dynamic ')));
});

test('with nothing pending the clock steps without a pause', async (t) => {
  const h = harness();
  await h.session.start();
  const afterStart = h.states.length;
  await h.session.advance(30);
  t.deepEqual(h.states.slice(afterStart), []);
  t.deepEqual(h.session.summary().pauses.map((p) => p.reason), ['start']);
});

test('the pause runs in order: stream paused, data hidden, loaded, caught up, reactivated, then the clock moves', async (t) => {
  const h = harness();
  await h.session.start();
  await h.session.advance(10);
  const seen: string[] = [];
  h.session.on('state', ({ state }) => {
    seen.push(`${state}:visible=${h.session.data.isActive}:notify=${!h.session.notificationsPaused}:t=${(h.session.clock.now() - h.session.tradingSession.open) / 60_000}`);
  });
  const added = h.session.addSymbol('TSLA');
  await h.session.advance(2);
  await added;
  t.deepEqual(seen, [
    'paused:visible=false:notify=false:t=10',
    'catchingUp:visible=false:notify=false:t=10',
    'streaming:visible=true:notify=true:t=10',
  ]);
  t.is(h.session.clock.now(), h.session.tradingSession.open + 12 * 60_000, 'the step that found TSLA pending is taken after the pause');
  const pause = h.session.summary().pauses.at(-1)!;
  t.deepEqual(pause.symbols, ['TSLA']);
  t.is(pause.reason, 'add');
  t.is(pause.simTime, h.session.tradingSession.open + 10 * 60_000);
  t.true(pause.durationMs >= 0);
});

test('catch-up writes exactly the bars whose close is at or before now, and streams the rest', async (t) => {
  const h = harness();
  await h.session.start();
  await h.session.advance(17);
  const added = h.session.addSymbol('TSLA', { streams: ['1m', '5m'] });
  await h.session.advance(0);
  await added;
  const now = h.session.clock.now();
  const m1 = h.session.data.getBarsSince('TSLA', 0, '1m');
  const m5 = h.session.data.getBarsSince('TSLA', 0, '5m');
  t.is(m1.length, 17);
  t.is(m5.length, 3, '15:00-15:15 closed; the bucket ending at 20 has not');
  for (const bar of m1) t.true(bar.t + 60_000 <= now);
  for (const bar of m5) t.true(bar.t + 300_000 <= now);
  await h.session.advance(3);
  t.is(h.session.data.getBarCount('TSLA', '5m'), 4);
  t.deepEqual(h.bars.filter((b) => b.symbol === 'TSLA').map((b) => `${b.interval}@${(b.t - h.session.tradingSession.open) / 60_000}`), ['1m@17', '1m@18', '1m@19', '5m@15']);
  const info = h.session.listSymbols().find((s) => s.symbol === 'TSLA')!;
  t.deepEqual(info.caughtUp, { '1m': 17, '5m': 3 });
  t.is(info.loaded, 60);
});

test('requests pending at one step are caught up in one pause', async (t) => {
  const h = harness();
  await h.session.start();
  await h.session.advance(5);
  const adds = ['TSLA', 'NVDA', 'AMD'].map((s) => h.session.addSymbol(s));
  await h.session.advance(1);
  await Promise.all(adds);
  const pauses = h.session.summary().pauses.filter((p) => p.reason === 'add');
  t.is(pauses.length, 1);
  t.deepEqual([...pauses[0]!.symbols].sort(), ['AMD', 'NVDA', 'TSLA']);
  for (const s of ['TSLA', 'NVDA', 'AMD']) t.is(h.session.data.getBarCount(s), 6);
});

test('graceful removal drains to the end of the minute, immediate removal drops at once', async (t) => {
  const h = harness({ symbols: ['AAPL', 'MSFT', 'NVDA'] });
  await h.session.start();
  await h.session.advance(5);
  const graceful = h.session.removeSymbol('MSFT');
  const immediate = h.session.removeSymbol('NVDA', { immediate: true });
  await immediate;
  t.is(h.session.listSymbols().find((s) => s.symbol === 'NVDA')?.status, 'removed');
  t.is(h.session.listSymbols().find((s) => s.symbol === 'MSFT')?.status, 'draining');
  await h.session.advance(1);
  await graceful;
  t.is(h.session.listSymbols().find((s) => s.symbol === 'MSFT')?.status, 'removed');
  const msft = h.bars.filter((b) => b.symbol === 'MSFT');
  t.is(msft.length, 6, 'the minute in progress was delivered');
  await h.session.advance(3);
  t.is(h.bars.filter((b) => b.symbol === 'MSFT').length, 6);
  t.deepEqual(h.session.data.getActiveSymbols(), ['AAPL']);
});

test('a removed symbol added again catches up again', async (t) => {
  const h = harness();
  await h.session.start();
  const first = h.session.addSymbol('TSLA');
  await h.session.advance(4);
  await first;
  await h.session.removeSymbol('TSLA', { immediate: true });
  await h.session.advance(6);
  const again = h.session.addSymbol('TSLA');
  await h.session.advance(0);
  await again;
  t.is(h.session.data.getBarCount('TSLA'), 10);
  t.deepEqual(h.session.summary().added, ['TSLA', 'TSLA']);
});

test('speed max runs to the close on its own and done carries the summary', async (t) => {
  const h = harness({ speed: 'max', symbols: [{ symbol: 'AAPL', streams: ['1m', '5m', '15m'] }, 'MSFT'] });
  await h.session.start();
  const summary = await h.session.done;
  t.is(h.session.state, 'closed');
  t.is(summary.endedAt, h.session.tradingSession.close);
  const aapl = summary.symbols.find((s) => s.symbol === 'AAPL')!;
  t.deepEqual(aapl.streamed, { '1m': 60, '5m': 12, '15m': 4 });
  t.is(summary.notifications.delivered, 60 + 12 + 4 + 60);
});

test('stopping the session ends a graceful removal still draining', async (t) => {
  const h = harness({ symbols: ['AAPL', 'MSFT'] });
  await h.session.start();
  await h.session.advance(3);
  const removal = h.session.removeSymbol('MSFT');
  const summary = await h.session.stop();
  await removal;
  t.is(summary.symbols.find((s) => s.symbol === 'MSFT')?.status, 'removed');
  t.deepEqual(h.session.data.getActiveSymbols(), ['AAPL']);
});
