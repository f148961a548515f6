import type { OrderSide, OrderType } from './order.js';

/** One 1m bar's prices in money units. */
export interface BarUnits {
  o: number;
  h: number;
  l: number;
  c: number;
}

/** What the rules need of an order, prices in money units. `triggered` is the one thing they change. */
export interface WorkingOrder {
  side: OrderSide;
  type: OrderType;
  limitUnits?: number;
  stopUnits?: number;
  triggered: boolean;
}

/**
 * The price (money units, before slippage) at which `order` fills on `bar`, or `undefined` if it
 * does not. Buy side shown; sells mirror it:
 * - market: the open;
 * - limit: when low ≤ limit, at min(open, limit);
 * - stop: when high ≥ stop, at max(open, stop);
 * - stopLimit: a bar that opens at or through the stop triggers it and is then a limit bar as
 *   above; a bar that reaches the stop after its open triggers it and fills at the stop only if
 *   stop ≤ limit (the path after the trigger is unknown, the stop price itself is the one price
 *   known to have traded); otherwise it works as a limit order from the next bar on.
 */
export function fillPrice(order: WorkingOrder, bar: BarUnits): number | undefined {
  switch (order.type) {
    case 'market':
      return bar.o;
    case 'limit':
      return limitPrice(order.side, order.limitUnits!, bar);
    case 'stop':
      return stopPrice(order.side, order.stopUnits!, bar);
    case 'stopLimit':
      return stopLimitPrice(order, bar);
  }
}

function limitPrice(side: OrderSide, limit: number, bar: BarUnits): number | undefined {
  if (side === 'buy') return bar.l <= limit ? Math.min(bar.o, limit) : undefined;
  return bar.h >= limit ? Math.max(bar.o, limit) : undefined;
}

function stopPrice(side: OrderSide, stop: number, bar: BarUnits): number | undefined {
  if (side === 'buy') return bar.h >= stop ? Math.max(bar.o, stop) : undefined;
  return bar.l <= stop ? Math.min(bar.o, stop) : undefined;
}

function stopLimitPrice(order: WorkingOrder, bar: BarUnits): number | undefined {
  const stop = order.stopUnits!;
  const limit = order.limitUnits!;
  if (order.triggered) return limitPrice(order.side, limit, bar);
  const buy = order.side === 'buy';
  if (buy ? bar.o >= stop : bar.o <= stop) {
    order.triggered = true;
    return limitPrice(order.side, limit, bar);
  }
  if (buy ? bar.h >= stop : bar.l <= stop) {
    order.triggered = true;
    return (buy ? stop <= limit : stop >= limit) ? stop : undefined;
  }
  return undefined;
}
