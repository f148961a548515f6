import type { OrderSide } from './order.js';

/** Why a fill happened other than an order meeting a bar: `flatten` closed a position at the last close. */
export type FillReason = 'flatten';

export interface Fill {
  orderId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  /** After slippage, to 0.0001. */
  price: number;
  /** Open time of the 1m bar the order filled on (for `flatten`: the last bar delivered). */
  t: number;
  commission: number;
  reason?: FillReason;
}
