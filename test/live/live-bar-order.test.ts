import test from 'ava';
import { createSession, MemoryBarStore, silentLogger, type FeedSink, type LiveFeed } from 'tapedeck';
import { calendar, closeOf, dayOf, recordBars, today, yesterday } from '../support/live-fixture.js';

/** A feed the test plays by hand: bars arrive exactly when and how the test says. */
class HandFeed implements LiveFeed {
  readonly name = 'hand';
  sink: FeedSink | undefined;

  start(sink: FeedSink): () => void {
    this.sink = sink;
    sink.status({ state: 'connected', resumed: false });
    return () => (this.sink = undefined);
  }

  subscribe(): void {}

  unsubscribe(): void {}
}

test('a derived bar whose last minute never came goes out before the next minute, even with no clock step between', async (t) => {
  const store = new MemoryBarStore();
  await store.putBars('AAPL', '1m', dayOf('AAPL', yesterday));
  // The clock stands still and no step comes (the tick is a minute of real time away): only
  // the next minute's arrival can finish the first 5m bucket, whose fifth minute had no trade.
  const at = today.open + 6 * 60_000;
  const clock = { now: () => at };
  const feed = new HandFeed();
  const session = createSession({ mode: 'live', feed, clock, calendar, store, symbols: [{ symbol: 'AAPL', streams: ['1m', '5m'] }], tickMs: 60_000, barGraceMs: 5_000, logger: silentLogger });
  t.teardown(() => session.stop());
  const active = new Promise<void>((resolve) => session.on('symbol', ({ symbol, status }) => symbol === 'AAPL' && status === 'active' && resolve()));
  const bars = recordBars(session);
  await session.start();
  await active;
  const minutes = dayOf('AAPL', today).filter((bar) => bar.t < today.open + 6 * 60_000 && bar.t !== today.open + 4 * 60_000);
  feed.sink!.bars(minutes.map((bar) => ({ ...bar, symbol: 'AAPL' })));
  const delivered = bars.map((bar) => `${bar.interval} closing ${(closeOf(bar) - today.open) / 60_000}`);
  t.deepEqual(delivered, ['1m closing 1', '1m closing 2', '1m closing 3', '1m closing 4', '5m closing 5', '1m closing 6']);
});

test("a live session's statuses say where each symbol came from too", async (t) => {
  const store = new MemoryBarStore();
  for (const symbol of ['AAPL', 'MSFT']) await store.putBars(symbol, '1m', dayOf(symbol, yesterday));
  const clock = { now: () => today.open + 6 * 60_000 };
  const session = createSession({ mode: 'live', feed: new HandFeed(), clock, calendar, store, symbols: [{ symbol: 'AAPL', streams: ['1m'] }], tickMs: 60_000, logger: silentLogger });
  t.teardown(() => session.stop());
  const told: string[] = [];
  session.on('symbol', ({ symbol, origin, status }) => told.push(`${symbol} ${origin} ${status}`));
  await session.start();
  await session.addSymbol('MSFT');
  t.true(told.includes('AAPL configured active'));
  t.true(told.includes('MSFT dynamic active'));
  t.true(told.every((line) => line.startsWith('AAPL configured ') || line.startsWith('MSFT dynamic ')));
});
