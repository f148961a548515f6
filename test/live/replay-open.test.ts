import test from 'ava';
import { createSession, silentLogger } from 'tapedeck';
import { ReplayFeed } from '../../feeds/replay-feed.js';
import { backtestSeries, calendar, dayOf, fastClock, holdsLastBars, storeWith, today } from '../support/live-fixture.js';

for (const minutesIn of [0, 1]) {
  test(`a live session started ${minutesIn} min after the open holds the whole day at the close`, async (t) => {
    const store = await storeWith(['AAPL']);
    const clock = fastClock(minutesIn);
    const feed = new ReplayFeed({ store, clock, calendar, pollMs: 2 });
    const session = createSession({ mode: 'live', feed, clock, calendar, symbols: [{ symbol: 'AAPL', streams: ['1m', '5m'] }], tickMs: 5, barGraceMs: 10_000, logger: silentLogger });
    clock.holdCloseUntil(() => holdsLastBars(session, new Map([['AAPL', dayOf('AAPL', today)]])));
    await session.start();
    await session.done;
    t.deepEqual(session.data.getSymbolData('AAPL')!.bars, await backtestSeries(store, 'AAPL', ['1m', '5m']));
  });
}
