import test from 'ava';
import { nyse } from '../../calendar/nyse.js';
import { runBacktest } from '../../run/run-backtest.js';
import orb from '../../examples/opening-range-breakout.js';
import { syntheticStore } from './run-fixture.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const FROM = '2024-03-04';
const TO = '2024-03-06';
const CANDIDATES = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMD', 'META'];
const MINUTE_MS = 60_000;

test('the opening-range breakout adds the candidates when the range ends, keeps the top movers and trades them once caught up', async (t) => {
  const store = await syntheticStore(['SPY', ...CANDIDATES], FROM, TO, { seed: 5 });
  const result = await runBacktest({ strategy: orb, from: FROM, to: TO, store, cash: 100_000, logger: silent });
  const { movers } = result.extra as { movers: Array<{ date: string; movers: string[] }> };
  t.deepEqual(movers.map((m) => m.date), nyse.tradingDays(FROM, TO));

  let traded = 0;
  for (const [d, day] of result.days.entries()) {
    const open = nyse.session(day.date)!.open;
    const scanAt = open + 30 * MINUTE_MS;
    // Added mid-session, in one pause at the end of the opening range; the day started with SPY alone.
    t.deepEqual(day.added, CANDIDATES, day.date);
    t.deepEqual(day.pauses.map((p) => [p.reason, p.simTime, p.symbols]), [
      ['start', open, ['SPY']],
      ['add', scanAt, CANDIDATES],
    ]);
    const kept = movers[d]!.movers;
    t.is(kept.length, 2);
    // The others are removed once ranked, the movers before the close: the next day scans again.
    t.deepEqual([...day.removed].sort(), [...CANDIDATES].sort());
    t.deepEqual(day.symbols, ['SPY']);
    const fills = result.fills.filter((f) => f.t >= open && f.t < nyse.session(day.date)!.close);
    for (const fill of fills) {
      t.true(kept.includes(fill.symbol), `${fill.symbol} traded on ${day.date} is one of its movers`);
      t.true(fill.t >= scanAt, `${fill.symbol} filled at ${new Date(fill.t).toISOString()}, after its catch-up`);
    }
    traded += fills.filter((f) => f.reason === undefined).length;
    t.false(result.fills.some((f) => f.t >= open && f.t < scanAt), 'nothing fills in the opening range');
  }
  t.true(traded >= 2, `${traded} breakout fills over the run`);
  t.is(result.metrics.exposure > 0, true);
});
