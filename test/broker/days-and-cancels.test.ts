import test from 'ava';
import { isBrokerError } from '../../broker/broker-error.js';
import { SimulatedBroker } from '../../broker/simulated-broker.js';
import { bar, flat, M, DAY } from './bars.js';

test('a GTC limit order stays open over the close and fills on a later day', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 0, 10, 0));
  const order = b.buy('AAPL', 1, { type: 'limit', limitPrice: 9, tif: 'gtc' });
  b.onBar(flat('AAPL', 1, 10, 0));
  t.deepEqual(b.endOfDay(), []);
  b.onBar(bar('AAPL', 0, 9.5, 9.5, 8.9, 9, 1));
  t.like(b.fills[0], { orderId: order.id, price: 9, t: DAY });
});

test("a GTC market order sent on the day's last bar fills at the next day's first open", (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 389, 10, 0));
  b.buy('AAPL', 1, { tif: 'gtc' });
  b.endOfDay();
  b.onBar(bar('AAPL', 0, 10.7, 11, 10.5, 10.8, 1));
  t.like(b.fills[0], { price: 10.7, t: DAY });
});

test('DAY orders still open at the close are cancelled by endOfDay and never fill', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 389, 10, 0));
  const market = b.buy('AAPL', 1);
  const limit = b.sell('AAPL', 1, { type: 'limit', limitPrice: 20 });
  const kept = b.sell('AAPL', 1, { type: 'stop', stopPrice: 5, tif: 'gtc' });
  const cancelled = b.endOfDay();
  t.deepEqual(cancelled.map((o) => [o.id, o.status]), [[market.id, 'cancelled'], [limit.id, 'cancelled']]);
  t.deepEqual(b.openOrders().map((o) => o.id), [kept.id]);
  b.onBar(bar('AAPL', 0, 25, 25, 25, 25, 1));
  t.deepEqual(b.fills, []);
});

test('cancel: an open order is cancelled and never fills; a second cancel or a filled order says false', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 0, 10));
  const cancelled = b.buy('AAPL', 1);
  const filled = b.buy('AAPL', 2);
  t.true(b.cancel(cancelled.id));
  t.false(b.cancel(cancelled.id));
  b.onBar(flat('AAPL', 1, 10));
  t.deepEqual(b.fills.map((f) => f.orderId), [filled.id]);
  t.false(b.cancel(filled.id));
  t.is(b.getOrder(cancelled.id)?.status, 'cancelled');
});

test('cancel of an id the broker never gave is UNKNOWN_ORDER', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  const error = t.throws(() => b.cancel('o42'));
  t.true(isBrokerError(error, 'UNKNOWN_ORDER'));
});

test('close(symbol) sends a market order for the whole position; flat, it sends nothing', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  t.is(b.close('AAPL'), undefined);
  b.onBar(flat('AAPL', 0, 10));
  b.sell('AAPL', 30);
  b.onBar(flat('AAPL', 1, 10));
  const order = b.close('AAPL');
  t.like(order, { side: 'buy', qty: 30, type: 'market' });
  b.onBar(flat('AAPL', 2, 9));
  t.is(b.position('AAPL').qty, 0);
  t.is(b.equity, 10_030);
});

test("flatten closes now at the last bar's close, says so in the fill, and cancels the symbol's orders", (t) => {
  const b = new SimulatedBroker({ cash: 10_000, commission: { minimum: 1 } });
  b.onBar(flat('AAPL', 0, 10));
  b.buy('AAPL', 10);
  b.onBar(bar('AAPL', 1, 10, 11, 10, 10.5));
  const stop = b.sell('AAPL', 10, { type: 'stop', stopPrice: 9, tif: 'gtc' });
  const fill = b.flatten('AAPL');
  t.deepEqual(fill, { orderId: 'o3', symbol: 'AAPL', side: 'sell', qty: 10, price: 10.5, t: M, commission: 1, reason: 'flatten' });
  t.is(b.getOrder(stop.id)?.status, 'cancelled');
  t.is(b.position('AAPL').qty, 0);
  t.is(b.equity, 10_000 + 5 - 2);
  t.is(b.flatten('AAPL'), undefined);
});

test('assertFlat throws POSITION_OPEN with the position while one is open', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  t.notThrows(() => b.assertFlat('AAPL'));
  b.onBar(flat('AAPL', 0, 10));
  b.sell('AAPL', 5);
  b.onBar(flat('AAPL', 1, 10));
  const error = t.throws(() => b.assertFlat('AAPL'));
  if (!isBrokerError(error, 'POSITION_OPEN')) return t.fail(String(error));
  t.deepEqual(error.details, { symbol: 'AAPL', qty: -5 });
  t.regex(error.message, /short 5.*flatten: true/);
});

test("openOrders(symbol) is that symbol's open orders in the order they were placed, copies the broker does not read back", (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 0, 10));
  b.onBar(flat('MSFT', 0, 20));
  const first = b.buy('AAPL', 1, { type: 'limit', limitPrice: 5 });
  const other = b.buy('MSFT', 1, { type: 'limit', limitPrice: 5 });
  const cancelled = b.sell('AAPL', 1, { type: 'stop', stopPrice: 1 });
  const last = b.sell('AAPL', 2, { type: 'limit', limitPrice: 50, tif: 'gtc' });
  b.cancel(cancelled.id);
  t.deepEqual(b.openOrders('AAPL').map((o) => o.id), [first.id, last.id]);
  t.deepEqual(b.openOrders('MSFT').map((o) => o.id), [other.id]);
  t.deepEqual(b.openOrders('NVDA'), []);
  t.deepEqual(b.openOrders().map((o) => o.id), [first.id, other.id, last.id]);
  const [copy] = b.openOrders('AAPL');
  (copy as { status: string }).status = 'filled';
  t.is(b.openOrders('AAPL')[0]!.status, 'open');
  t.is(b.getOrder(first.id)!.status, 'open');
});
