import test from 'ava';
import { harness } from '../support/session-harness.js';

test('notifications start on and deliver every bar once its close is reached', async (t) => {
  const h = harness({ symbols: [{ symbol: 'AAPL', streams: ['1m', '5m'] }] });
  t.false(h.session.notificationsPaused);
  await h.session.start();
  await h.session.advance(10);
  t.is(h.bars.filter((b) => b.interval === '1m').length, 10);
  t.is(h.bars.filter((b) => b.interval === '5m').length, 2);
  for (const bar of h.bars) t.true(bar.t + (bar.interval === '1m' ? 60_000 : 300_000) <= h.session.clock.now());
});

test('paused notifications are dropped, not queued, and the data still fills', async (t) => {
  const h = harness();
  await h.session.start();
  await h.session.advance(3);
  h.session.pauseNotifications();
  t.true(h.session.notificationsPaused);
  await h.session.advance(4);
  t.is(h.bars.length, 3);
  t.is(h.session.data.getBarCount('AAPL'), 7);
  h.session.resumeNotifications();
  t.false(h.session.notificationsPaused);
  await h.session.advance(2);
  t.deepEqual(h.bars.map((b) => (b.t - h.session.tradingSession.open) / 60_000), [0, 1, 2, 7, 8]);
  await h.session.stop();
  t.is(h.session.summary().notifications.dropped, 4);
  t.is(h.session.summary().notifications.delivered, 5);
});

test('unsubscribing stops delivery to that listener only', async (t) => {
  const h = harness();
  const mine: number[] = [];
  const off = h.session.onBar((bar) => mine.push(bar.t));
  await h.session.start();
  await h.session.advance(2);
  off();
  await h.session.advance(2);
  t.is(mine.length, 2);
  t.is(h.bars.length, 4);
});

test('a throwing listener is reported and the session and other listeners go on', async (t) => {
  const h = harness();
  const reported: string[] = [];
  h.session.on('listenerError', ({ error, bar }) => reported.push(`${(error as Error).message}@${bar.symbol}`));
  h.session.onBar(() => {
    throw new Error('strategy bug');
  });
  await h.session.start();
  await h.session.advance(3);
  t.is(h.bars.length, 3, 'the other listener got every bar');
  t.deepEqual(reported, ['strategy bug@AAPL', 'strategy bug@AAPL', 'strategy bug@AAPL']);
  t.true(h.logs.some((line) => line.includes('listener threw')));
  t.is(h.session.state, 'streaming');
  await h.session.advance(57);
  t.is((await h.session.done).notifications.listenerErrors, 60);
});

test('listeners hear nothing during a catch-up; caught-up bars are read from the data afterwards', async (t) => {
  const h = harness();
  await h.session.start();
  await h.session.advance(20);
  const heard = h.bars.length;
  const added = h.session.addSymbol('TSLA');
  await h.session.advance(0);
  await added;
  t.is(h.bars.length, heard, 'no TSLA bar was notified for the catch-up');
  t.is(h.session.data.getBarCount('TSLA'), 20);
  t.false(h.session.notificationsPaused);
  await h.session.advance(1);
  t.deepEqual(h.bars.slice(heard).map((b) => b.symbol).sort(), ['AAPL', 'TSLA']);
});

test('onBarAt hears the bars onBar hears, by their place in the series, in the same order, paused alike', async (t) => {
  const h = harness({ symbols: [{ symbol: 'AAPL', streams: ['1m', '5m'] }, { symbol: 'MSFT', streams: ['1m', '15m'] }] });
  const heard: string[] = [];
  h.session.onBarAt((symbol, interval, bars, i, updated) =>
    heard.push(JSON.stringify({ symbol, interval, t: bars.t[i], o: bars.o[i], h: bars.h[i], l: bars.l[i], c: bars.c[i], v: bars.v[i], ...(updated ? { updated } : {}) })),
  );
  await h.session.start();
  await h.session.advance(20);
  h.session.pauseNotifications();
  await h.session.advance(5);
  h.session.resumeNotifications();
  await h.session.advance(20);
  t.true(heard.length > 40);
  t.deepEqual(heard, h.bars.map((bar) => JSON.stringify(bar)));
});
