import type { Fill } from '../../broker/fill.js';

const M = 60_000;

/**
 * AAPL: long 100 @ 10 and 100 @ 12, sell 150 @ 15 (a partial close), sell 100 @ 14 (closes the
 * last 50 long and opens 50 short), buy 50 @ 13 (covers). MSFT: a losing long.
 */
export const FILLS: Fill[] = [
  { orderId: 'o1', symbol: 'AAPL', side: 'buy', qty: 100, price: 10, t: 0, commission: 1 },
  { orderId: 'o2', symbol: 'AAPL', side: 'buy', qty: 100, price: 12, t: M, commission: 2 },
  { orderId: 'o3', symbol: 'MSFT', side: 'buy', qty: 10, price: 50, t: M, commission: 1 },
  { orderId: 'o4', symbol: 'AAPL', side: 'sell', qty: 150, price: 15, t: 2 * M, commission: 3 },
  { orderId: 'o5', symbol: 'MSFT', side: 'sell', qty: 10, price: 45, t: 3 * M, commission: 1 },
  { orderId: 'o6', symbol: 'AAPL', side: 'sell', qty: 100, price: 14, t: 3 * M, commission: 1 },
  { orderId: 'o7', symbol: 'AAPL', side: 'buy', qty: 50, price: 13, t: 5 * M, commission: 0.5 },
];
