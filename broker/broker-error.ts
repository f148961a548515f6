import { CodedError } from '../model/coded-error.js';

export type BrokerErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_SYMBOL'
  | 'INVALID_SIDE'
  | 'INVALID_QTY'
  | 'INVALID_ORDER_TYPE'
  | 'INVALID_TIF'
  | 'INVALID_PRICE'
  | 'MISSING_LIMIT_PRICE'
  | 'MISSING_STOP_PRICE'
  | 'PRICE_NOT_ALLOWED'
  | 'UNKNOWN_ORDER'
  | 'INVALID_BAR'
  | 'BAR_OUT_OF_ORDER'
  | 'POSITION_OPEN';

/** A request the simulated broker refuses. Nothing changed: cash, positions and orders are as before. */
export class BrokerError extends CodedError<BrokerErrorCode> {
  override readonly name = 'BrokerError';
}

export function isBrokerError(error: unknown, code?: BrokerErrorCode): error is BrokerError {
  return error instanceof BrokerError && (code === undefined || error.code === code);
}

/** `POSITION_OPEN`: what a caller removing a symbol with a position says, with the way out. */
export function positionOpenError(symbol: string, qty: number): BrokerError {
  const side = qty > 0 ? 'long' : 'short';
  return new BrokerError(
    'POSITION_OPEN',
    `Cannot remove ${symbol}: the position is open (${side} ${Math.abs(qty)}). Close it first, or pass { flatten: true } to close it at the last bar's close.`,
    { symbol, qty },
  );
}
