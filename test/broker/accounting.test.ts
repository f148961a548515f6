import test from 'ava';
import { SimulatedBroker } from '../../broker/simulated-broker.js';
import { bar, flat, M } from './bars.js';

test('commission: per share with a minimum', (t) => {
  const b = new SimulatedBroker({ cash: 10_000, commission: { perShare: 0.005, minimum: 1 } });
  b.onBar(flat('AAPL', 0, 10));
  b.buy('AAPL', 100); // 0.50 → the minimum, 1
  b.buy('AAPL', 1000); // 5
  b.onBar(flat('AAPL', 1, 10));
  t.deepEqual(b.fills.map((f) => f.commission), [1, 5]);
  t.is(b.cash, 10_000 - 11_000 - 6);
  t.is(b.equity, 10_000 - 6);
});

test('commission: percent of notional, rounded up to 0.0001', (t) => {
  const b = new SimulatedBroker({ cash: 10_000, commission: { percent: 0.1 } });
  b.onBar(flat('AAPL', 0, 10.01));
  b.sell('AAPL', 7); // 0.1 % of 70.07 = 0.07007 → 0.0701
  b.onBar(flat('AAPL', 1, 10.01));
  t.is(b.fills[0]!.commission, 0.0701);
  t.is(b.cash, 10_069.9999); // exact: money is counted in units of 0.0001
});

test('slippage in bps is against the trader: buys pay more, sells receive less', (t) => {
  const b = new SimulatedBroker({ cash: 10_000, slippage: { bps: 10 } });
  b.onBar(flat('AAPL', 0, 100));
  b.buy('AAPL', 1);
  b.sell('AAPL', 1);
  b.onBar(flat('AAPL', 1, 100));
  t.deepEqual(b.fills.map((f) => f.price), [100.1, 99.9]);
  t.is(b.equity, 10_000 - 0.2);
});

test('slippage never takes a limit order beyond its limit', (t) => {
  const b = new SimulatedBroker({ cash: 10_000, slippage: { bps: 50 } });
  b.onBar(flat('AAPL', 0, 100));
  b.buy('AAPL', 1, { type: 'limit', limitPrice: 100.2 }); // opens at 100: 100.5 slipped, capped at 100.2
  b.buy('AAPL', 1, { type: 'limit', limitPrice: 101 }); // 100.5 within the limit
  b.onBar(bar('AAPL', 1, 100, 100.5, 99.5, 100));
  t.deepEqual(b.fills.map((f) => f.price), [100.2, 100.5]);
});

test('a long position: average price, market value and unrealized PnL follow the closes', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 0, 10));
  b.buy('AAPL', 100);
  b.onBar(bar('AAPL', 1, 10, 12, 10, 11.5));
  t.deepEqual(b.position('AAPL'), { symbol: 'AAPL', qty: 100, avgPrice: 10, marketValue: 1150, unrealizedPnl: 150 });
  t.is(b.cash, 9_000);
  t.is(b.equity, 10_150);
});

test('partial closes take the oldest shares first', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 0, 10));
  b.buy('AAPL', 100);
  b.onBar(flat('AAPL', 1, 10));
  b.buy('AAPL', 100);
  b.onBar(flat('AAPL', 2, 12));
  b.sell('AAPL', 150); // 100 bought at 10, then 50 of those at 12
  b.onBar(flat('AAPL', 3, 15));
  t.deepEqual(b.position('AAPL'), { symbol: 'AAPL', qty: 50, avgPrice: 12, marketValue: 750, unrealizedPnl: 150 });
  t.is(b.cash, 10_000 - 1000 - 1200 + 2250);
  t.is(b.equity, 10_000 + 500 + 150 + 150);
});

test('a short position credits cash, is negative market value, and gains as the price falls', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 0, 50));
  b.sell('AAPL', 100);
  b.onBar(flat('AAPL', 1, 50));
  b.onBar(bar('AAPL', 2, 48, 48, 40, 40));
  t.deepEqual(b.position('AAPL'), { symbol: 'AAPL', qty: -100, avgPrice: 50, marketValue: -4000, unrealizedPnl: 1000 });
  t.is(b.cash, 15_000);
  t.is(b.equity, 11_000);
  b.buy('AAPL', 100);
  b.onBar(flat('AAPL', 3, 40));
  t.is(b.position('AAPL').qty, 0);
  t.is(b.equity, 11_000);
});

test('a sell larger than the long position reverses it to a short at the fill price', (t) => {
  const b = new SimulatedBroker({ cash: 10_000 });
  b.onBar(flat('AAPL', 0, 10));
  b.buy('AAPL', 100);
  b.onBar(flat('AAPL', 1, 10));
  b.sell('AAPL', 150);
  b.onBar(flat('AAPL', 2, 11));
  t.deepEqual(b.position('AAPL'), { symbol: 'AAPL', qty: -50, avgPrice: 11, marketValue: -550, unrealizedPnl: 0 });
  t.is(b.equity, 10_100);
});

test('equity marks every symbol at its own last close, and positions() lists the open ones', (t) => {
  const b = new SimulatedBroker({ cash: 1_000 });
  b.onBar(flat('AAPL', 0, 10));
  b.onBar(flat('MSFT', 0, 20));
  b.buy('AAPL', 10);
  b.sell('MSFT', 5);
  b.onBar(flat('AAPL', 1, 11));
  b.onBar(flat('MSFT', 1, 19));
  b.onBar(flat('AAPL', 2, 12)); // MSFT has no bar this minute: stays at 19
  t.is(b.equity, 1_000 + 10); // bought at 11, marked at 12; sold at 19, marked at 19
  t.deepEqual(b.equityPoint(), { t: 3 * M, equity: 1_010, cash: 1_000 - 110 + 95, grossExposure: 120 + 95 });
  t.deepEqual(
    b.positions().map((p) => [p.symbol, p.qty]),
    [['AAPL', 10], ['MSFT', -5]],
  );
});

test('hundreds of symbols keep their own last close, position and orders, and a restored broker goes on with them', (t) => {
  // More symbols than the broker's per-symbol arrays first hold, so they grow with books in them.
  const symbols = Array.from({ length: 150 }, (_, i) => `S${i}`);
  const price = (i: number, minute: number) => 10 + i + minute;
  const b = new SimulatedBroker({ cash: 1_000_000 });
  for (const [i, symbol] of symbols.entries()) b.onBar(flat(symbol, 0, price(i, 0)));
  for (const [i, symbol] of symbols.entries()) if (i % 2 === 0) b.buy(symbol, i + 1);
  b.buy('S149', 5, { type: 'limit', limitPrice: 1 }); // never fills: its book keeps an open order
  for (const [i, symbol] of symbols.entries()) b.onBar(flat(symbol, 1, price(i, 1)));
  const restored = SimulatedBroker.restore({ cash: 1_000_000 }, JSON.parse(JSON.stringify(b.snapshot())), b.fills);
  for (const broker of [b, restored]) {
    for (const [i, symbol] of symbols.entries()) broker.onBar(flat(symbol, 2, price(i, 2)));
    t.is(broker.fills.length, 75);
    t.deepEqual(broker.openOrders().map((order) => order.symbol), ['S149']);
    for (const [i, symbol] of symbols.entries()) {
      const qty = i % 2 === 0 ? i + 1 : 0;
      t.is(broker.position(symbol).qty, qty, symbol);
      if (qty > 0) t.is(broker.position(symbol).marketValue, qty * price(i, 2), symbol);
    }
    // Bought at minute 1's open (its price), marked at minute 2's close: 1 a share.
    t.is(broker.equity, 1_000_000 + symbols.reduce((sum, _, i) => sum + (i % 2 === 0 ? i + 1 : 0), 0));
  }
});
