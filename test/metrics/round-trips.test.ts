import test from 'ava';
import { buildRoundTrips } from '../../metrics/round-trips.js';
import { FILLS } from './fills.js';

const M = 60_000;

test('round trips match first in, first out, split commissions pro rata, and follow a reversal into a short', (t) => {
  const trips = buildRoundTrips(FILLS);
  t.deepEqual(
    trips.map((trip) => ({ ...trip, entry: trip.entry.orderId, exit: trip.exit.orderId })),
    [
      { symbol: 'AAPL', direction: 'long', qty: 100, entry: 'o1', exit: 'o4', pnl: 500, commission: 1 + 2, netPnl: 497, return: 0.5, duration: 2 * M },
      { symbol: 'AAPL', direction: 'long', qty: 50, entry: 'o2', exit: 'o4', pnl: 150, commission: 1 + 1, netPnl: 148, return: 0.25, duration: M },
      { symbol: 'MSFT', direction: 'long', qty: 10, entry: 'o3', exit: 'o5', pnl: -50, commission: 2, netPnl: -52, return: -0.1, duration: 2 * M },
      { symbol: 'AAPL', direction: 'long', qty: 50, entry: 'o2', exit: 'o6', pnl: 100, commission: 1 + 0.5, netPnl: 98.5, return: 100 / 600, duration: 2 * M },
      { symbol: 'AAPL', direction: 'short', qty: 50, entry: 'o6', exit: 'o7', pnl: 50, commission: 0.5 + 0.5, netPnl: 49, return: 50 / 700, duration: 2 * M },
    ],
  );
  t.deepEqual(trips[4]!.entry, { orderId: 'o6', t: 3 * M, price: 14 });
  t.deepEqual(trips[4]!.exit, { orderId: 'o7', t: 5 * M, price: 13 });
});

test('shares still open make no round trip', (t) => {
  t.deepEqual(buildRoundTrips(FILLS.slice(0, 3)), []);
  t.is(buildRoundTrips(FILLS.slice(0, 4)).length, 2);
});
