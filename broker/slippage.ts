import { BrokerError } from './broker-error.js';
import { ceilUnits } from './money.js';
import type { OrderSide } from './order.js';

/** Slippage in basis points of the price, always against the trader: buys pay more, sells get less. */
export interface SlippageModel {
  bps?: number;
}

export function checkSlippageModel(model: SlippageModel): void {
  const bps = model.bps;
  if (bps !== undefined && !(typeof bps === 'number' && Number.isFinite(bps) && bps >= 0 && bps < 10_000)) {
    throw new BrokerError('INVALID_CONFIG', `slippage.bps must be a number in [0, 10000), got ${String(bps)}.`, { bps });
  }
}

/**
 * The price paid or received, in money units, rounded against the trader. A limit order never
 * fills beyond its limit, slippage included: `limitUnits` caps it.
 */
export function slippedUnits(model: SlippageModel, side: OrderSide, priceUnits: number, limitUnits?: number): number {
  const slip = ceilUnits((priceUnits * (model.bps ?? 0)) / 10_000);
  if (side === 'buy') {
    const paid = priceUnits + slip;
    return limitUnits === undefined ? paid : Math.min(paid, limitUnits);
  }
  const received = priceUnits - slip;
  return limitUnits === undefined ? received : Math.max(received, limitUnits);
}
