import type { Fill } from '../broker/fill.js';
import { FifoLots, type RoundTrip } from '../broker/fifo-lots.js';
import { toUnits } from '../broker/money.js';

/**
 * The closed round trips of a list of fills, per symbol first in, first out, in the order they
 * closed. A fill larger than the open position closes it and opens the rest the other way.
 * Shares still open at the end make no round trip.
 */
export function buildRoundTrips(fills: readonly Fill[]): RoundTrip[] {
  const books = new Map<string, FifoLots>();
  const trips: RoundTrip[] = [];
  for (const fill of fills) {
    let lots = books.get(fill.symbol);
    if (!lots) {
      lots = new FifoLots(fill.symbol);
      books.set(fill.symbol, lots);
    }
    const signedQty = fill.side === 'buy' ? fill.qty : -fill.qty;
    lots.apply({ orderId: fill.orderId, t: fill.t, signedQty, priceUnits: toUnits(fill.price), commissionUnits: toUnits(fill.commission) }, trips);
  }
  return trips;
}
