import test from 'ava';
import { createSession, silentLogger } from 'tapedeck';
import { ReplayFeed } from '../../feeds/replay-feed.js';
import { calendar, dayOf, storeWith, today } from '../support/live-fixture.js';

// A replay plays stored bars on its own timer, the session checks for the close on another. On
// a busy machine the clock can pass the close and its grace between two of the replay's polls:
// the session must still close only once the replay has played the day's last bars.
test('a replay whose clock jumps past the close by far more than the grace still delivers the last bars before the session closes', async (t) => {
  const store = await storeWith(['AAPL']);
  let now = today.close - 90_000;
  const clock = { now: () => now };
  // The replay polls every 50 ms, the session's clock step comes every millisecond with no grace:
  // after the jump, the session's step almost always comes first.
  const feed = new ReplayFeed({ store, clock, calendar, pollMs: 50 });
  const session = createSession({ mode: 'live', feed, clock, calendar, symbols: ['AAPL'], trailingDays: 0, tickMs: 1, barGraceMs: 0, logger: silentLogger });
  await session.start();
  t.is(session.state, 'streaming');
  const lastTwo = dayOf('AAPL', today).slice(-2);
  t.true((session.data.getLatestBar('AAPL')?.t ?? 0) < lastTwo[0]!.t, 'the last two bars of the day were not history');
  now = today.close + 30 * 60_000;
  const summary = await session.done;
  t.is(summary.endedBy, 'close');
  t.deepEqual(session.data.getBarsSince('AAPL', lastTwo[0]!.t, '1m'), lastTwo);
});
