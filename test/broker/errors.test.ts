import test from 'ava';
import { isBrokerError, type BrokerErrorCode } from '../../broker/broker-error.js';
import type { OrderRequest } from '../../broker/order.js';
import { SimulatedBroker, type BrokerOptions } from '../../broker/simulated-broker.js';
import { bar, flat, M } from './bars.js';

const base: OrderRequest = { symbol: 'AAPL', side: 'buy', qty: 10 };

const badOrders: [string, Record<string, unknown>, BrokerErrorCode][] = [
  ['zero quantity', { qty: 0 }, 'INVALID_QTY'],
  ['negative quantity', { qty: -5 }, 'INVALID_QTY'],
  ['fractional quantity', { qty: 1.5 }, 'INVALID_QTY'],
  ['NaN quantity', { qty: Number.NaN }, 'INVALID_QTY'],
  ['quantity beyond safe integers', { qty: 2 ** 53 }, 'INVALID_QTY'],
  ['empty symbol', { symbol: '' }, 'INVALID_SYMBOL'],
  ['unknown side', { side: 'short' }, 'INVALID_SIDE'],
  ['unknown type', { type: 'trailingStop' }, 'INVALID_ORDER_TYPE'],
  ['unknown time in force', { tif: 'ioc' }, 'INVALID_TIF'],
  ['limit without a limit price', { type: 'limit' }, 'MISSING_LIMIT_PRICE'],
  ['stop without a stop price', { type: 'stop' }, 'MISSING_STOP_PRICE'],
  ['stopLimit without a limit price', { type: 'stopLimit', stopPrice: 10 }, 'MISSING_LIMIT_PRICE'],
  ['stopLimit without a stop price', { type: 'stopLimit', limitPrice: 10 }, 'MISSING_STOP_PRICE'],
  ['market with a limit price', { limitPrice: 10 }, 'PRICE_NOT_ALLOWED'],
  ['limit with a stop price', { type: 'limit', limitPrice: 10, stopPrice: 9 }, 'PRICE_NOT_ALLOWED'],
  ['negative limit price', { type: 'limit', limitPrice: -1 }, 'INVALID_PRICE'],
  ['infinite stop price', { type: 'stop', stopPrice: Number.POSITIVE_INFINITY }, 'INVALID_PRICE'],
];

for (const [name, change, code] of badOrders) {
  test(`bad order: ${name} → ${code}, and nothing changes`, (t) => {
    const b = new SimulatedBroker({ cash: 1_000 });
    b.onBar(flat('AAPL', 0, 10));
    const error = t.throws(() => b.order({ ...base, ...change } as OrderRequest));
    t.true(isBrokerError(error, code), `${error.name} ${(error as { code?: string }).code}: ${error.message}`);
    t.deepEqual(b.openOrders(), []);
    t.is(b.buy('AAPL', 1).id, 'o1'); // no id was used up
  });
}

const badBars: [string, Record<string, unknown>][] = [
  ['high below the close', { h: 9 }],
  ['low above the open', { l: 10.5 }],
  ['NaN open', { o: Number.NaN }],
  ['zero low', { l: 0 }],
  ['infinite high', { h: Number.POSITIVE_INFINITY }],
  ['fractional time', { t: 1.5 }],
  ['no symbol', { symbol: '' }],
  ['a 5m bar', { interval: '5m' }],
];

for (const [name, change] of badBars) {
  test(`bad bar: ${name} → INVALID_BAR, and nothing changes`, (t) => {
    const b = new SimulatedBroker({ cash: 1_000 });
    b.buy('AAPL', 1);
    const error = t.throws(() => b.onBar({ ...bar('AAPL', 0, 10, 11, 9, 10), ...change }));
    t.true(isBrokerError(error, 'INVALID_BAR'), error.message);
    t.deepEqual(b.fills, []);
    t.is(b.now, 0);
  });
}

test('a bar earlier than one already delivered, or a repeated minute of a symbol, is BAR_OUT_OF_ORDER', (t) => {
  const b = new SimulatedBroker({ cash: 1_000 });
  b.onBar(flat('AAPL', 1, 10));
  t.true(isBrokerError(t.throws(() => b.onBar(flat('MSFT', 0, 10))), 'BAR_OUT_OF_ORDER'));
  t.true(isBrokerError(t.throws(() => b.onBar(flat('AAPL', 1, 11))), 'BAR_OUT_OF_ORDER'));
  t.is(b.now, 2 * M);
  t.is(b.equity, 1_000);
});

const badConfigs: [string, BrokerOptions][] = [
  ['NaN cash', { cash: Number.NaN }],
  ['negative per-share commission', { cash: 1, commission: { perShare: -0.01 } }],
  ['NaN minimum', { cash: 1, commission: { minimum: Number.NaN } }],
  ['slippage of 100 %', { cash: 1, slippage: { bps: 10_000 } }],
  ['negative slippage', { cash: 1, slippage: { bps: -1 } }],
];

for (const [name, options] of badConfigs) {
  test(`bad configuration: ${name} → INVALID_CONFIG`, (t) => {
    t.true(isBrokerError(t.throws(() => new SimulatedBroker(options)), 'INVALID_CONFIG'));
  });
}
