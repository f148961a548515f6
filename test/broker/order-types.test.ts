import test from 'ava';
import { SimulatedBroker } from '../../broker/simulated-broker.js';
import { bar, flat, M } from './bars.js';

const broker = () => new SimulatedBroker({ cash: 100_000 });

test('a market order fills at the open of the next bar, not at the close of the bar it was sent on', (t) => {
  const b = broker();
  b.onBar(bar('AAPL', 0, 10, 11, 9, 10.5));
  const order = b.buy('AAPL', 10);
  t.is(order.placedAt, M);
  t.deepEqual(b.fills, []);
  b.onBar(bar('AAPL', 1, 10.8, 11, 10, 10.2));
  t.deepEqual(b.fills, [{ orderId: order.id, symbol: 'AAPL', side: 'buy', qty: 10, price: 10.8, t: M, commission: 0 }]);
  t.is(b.getOrder(order.id)?.status, 'filled');
});

test("a market order fills on the next bar that exists: gaps in a symbol's bars are skipped", (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  b.sell('AAPL', 5);
  b.onBar(flat('MSFT', 1, 50)); // other symbols' bars do not fill it
  b.onBar(flat('AAPL', 7, 12));
  t.is(b.fills.length, 1);
  t.like(b.fills[0], { symbol: 'AAPL', price: 12, t: 7 * M });
});

test('no look-ahead: an order sent after a minute closed never fills on a bar of that minute delivered later', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10)); // the clock stands at the close of minute 0
  b.buy('MSFT', 1); // sent while handling AAPL's bar
  b.onBar(flat('MSFT', 0, 50)); // MSFT's bar of the same minute, delivered after the order
  t.deepEqual(b.fills, []);
  b.onBar(flat('MSFT', 1, 51));
  t.like(b.fills[0], { price: 51, t: M });
});

test('an order sent before any bar fills at the first bar', (t) => {
  const b = broker();
  b.buy('AAPL', 1);
  b.onBar(bar('AAPL', 0, 10, 11, 9, 10));
  t.like(b.fills[0], { price: 10, t: 0 });
});

test('orders reached on the same bar fill in the order they were placed', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  const first = b.sell('AAPL', 3, { type: 'limit', limitPrice: 10.5 });
  const second = b.buy('AAPL', 2);
  b.onBar(bar('AAPL', 1, 10, 11, 9.5, 10));
  t.deepEqual(
    b.fills.map((f) => f.orderId),
    [first.id, second.id],
  );
});

test('buy limit: fills when the low reaches the limit, at the limit, or at the open if it opens below', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  const below = b.buy('AAPL', 1, { type: 'limit', limitPrice: 9, tif: 'gtc' });
  const inside = b.buy('AAPL', 1, { type: 'limit', limitPrice: 9.6, tif: 'gtc' });
  b.onBar(bar('AAPL', 1, 10, 10.2, 9.5, 10)); // low 9.5: inside (9.6) fills at 9.6, below (9) does not
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[inside.id, 9.6]]);
  b.onBar(bar('AAPL', 2, 8.5, 8.8, 8.2, 8.6)); // opens at 8.5, below 9: fills at the open
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[inside.id, 9.6], [below.id, 8.5]]);
});

test('sell limit: fills when the high reaches the limit, at the limit, or at the open if it opens above', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  const above = b.sell('AAPL', 1, { type: 'limit', limitPrice: 11, tif: 'gtc' });
  const inside = b.sell('AAPL', 1, { type: 'limit', limitPrice: 10.4, tif: 'gtc' });
  b.onBar(bar('AAPL', 1, 10, 10.5, 9.8, 10));
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[inside.id, 10.4]]);
  b.onBar(bar('AAPL', 2, 11.5, 11.8, 11.2, 11.6));
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[inside.id, 10.4], [above.id, 11.5]]);
});

test('buy stop: fills when the high reaches the stop, at the stop, or at the open if it gaps above', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  const far = b.buy('AAPL', 1, { type: 'stop', stopPrice: 12, tif: 'gtc' });
  const near = b.buy('AAPL', 1, { type: 'stop', stopPrice: 10.3, tif: 'gtc' });
  b.onBar(bar('AAPL', 1, 10, 10.5, 9.8, 10.1));
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[near.id, 10.3]]);
  b.onBar(bar('AAPL', 2, 12.5, 12.8, 12.4, 12.6));
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[near.id, 10.3], [far.id, 12.5]]);
});

test('sell stop: fills when the low reaches the stop, at the stop, or at the open if it gaps below', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  const far = b.sell('AAPL', 1, { type: 'stop', stopPrice: 8, tif: 'gtc' });
  const near = b.sell('AAPL', 1, { type: 'stop', stopPrice: 9.7, tif: 'gtc' });
  b.onBar(bar('AAPL', 1, 10, 10.2, 9.5, 9.9));
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[near.id, 9.7]]);
  b.onBar(bar('AAPL', 2, 7.5, 7.8, 7.2, 7.6));
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[near.id, 9.7], [far.id, 7.5]]);
});

test('buy stopLimit: untouched stop does nothing; a bar opening through the stop is a limit bar', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  const order = b.buy('AAPL', 1, { type: 'stopLimit', stopPrice: 11, limitPrice: 11.5, tif: 'gtc' });
  b.onBar(bar('AAPL', 1, 10, 10.9, 9.9, 10.5));
  t.false(b.getOrder(order.id)?.triggered);
  b.onBar(bar('AAPL', 2, 11.8, 12, 11.6, 11.9)); // opens through the stop, low 11.6 > limit 11.5
  t.true(b.getOrder(order.id)?.triggered);
  t.deepEqual(b.fills, []);
  b.onBar(bar('AAPL', 3, 11.7, 11.8, 11.4, 11.5)); // a triggered order is a limit order
  t.like(b.fills[0], { orderId: order.id, price: 11.5 });
});

test('buy stopLimit opening through the stop fills on that bar at min(open, limit)', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  b.buy('AAPL', 1, { type: 'stopLimit', stopPrice: 11, limitPrice: 11.5 });
  b.onBar(bar('AAPL', 1, 11.2, 11.6, 11.1, 11.3));
  t.like(b.fills[0], { price: 11.2 });
});

test('buy stopLimit reached after the open fills at the stop if the stop is within the limit', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  b.buy('AAPL', 1, { type: 'stopLimit', stopPrice: 10.5, limitPrice: 10.6 });
  b.onBar(bar('AAPL', 1, 10, 10.9, 9.8, 10.8));
  t.like(b.fills[0], { price: 10.5, t: M });
});

test('buy stopLimit reached after the open with the limit below the stop waits for the next bar', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  const order = b.buy('AAPL', 1, { type: 'stopLimit', stopPrice: 10.5, limitPrice: 10.2 });
  b.onBar(bar('AAPL', 1, 10, 10.9, 9.8, 10.8)); // low 9.8 ≤ 10.2, but only before the stop traded
  t.deepEqual(b.fills, []);
  t.true(b.getOrder(order.id)?.triggered);
  b.onBar(bar('AAPL', 2, 10.8, 10.9, 10.1, 10.3));
  t.like(b.fills[0], { price: 10.2, t: 2 * M });
});

test('sell stopLimit mirrors the buy: through the stop on the open, or reached later within the limit', (t) => {
  const b = broker();
  b.onBar(flat('AAPL', 0, 10));
  const gap = b.sell('AAPL', 1, { type: 'stopLimit', stopPrice: 9, limitPrice: 8.8, tif: 'gtc' });
  const later = b.sell('AAPL', 1, { type: 'stopLimit', stopPrice: 9.5, limitPrice: 9.4, tif: 'gtc' });
  const waits = b.sell('AAPL', 1, { type: 'stopLimit', stopPrice: 9.6, limitPrice: 9.9, tif: 'gtc' });
  b.onBar(bar('AAPL', 1, 10, 10.2, 9.3, 9.4)); // later: stop 9.5 reached, 9.5 ≥ 9.4 → at 9.5; waits: limit above stop
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[later.id, 9.5]]);
  b.onBar(bar('AAPL', 2, 8.9, 9.95, 8.85, 9)); // gap: opens below 9 → limit 8.8 reached at the open 8.9; waits: high 9.95 ≥ 9.9
  t.deepEqual(b.fills.map((f) => [f.orderId, f.price]), [[later.id, 9.5], [gap.id, 8.9], [waits.id, 9.9]]);
});
