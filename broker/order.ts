import { BrokerError } from './broker-error.js';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stopLimit';
/** `day`: cancelled at the session close if still open. `gtc`: stays open across days. */
export type TimeInForce = 'day' | 'gtc';
export type OrderStatus = 'open' | 'filled' | 'cancelled';

export interface OrderRequest {
  symbol: string;
  side: OrderSide;
  /** Shares: a positive safe integer. */
  qty: number;
  /** Default `market`. */
  type?: OrderType;
  /** Required for `limit` and `stopLimit`, refused otherwise. */
  limitPrice?: number;
  /** Required for `stop` and `stopLimit`, refused otherwise. */
  stopPrice?: number;
  /** Default `day`. */
  tif?: TimeInForce;
}

/** Options of `buy` and `sell`: everything of an order but the symbol, side and quantity. */
export type OrderOptions = Omit<OrderRequest, 'symbol' | 'side' | 'qty'>;

export interface Order {
  /** `o1`, `o2`, … in the order they were placed: the same inputs give the same ids. */
  readonly id: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: number;
  readonly type: OrderType;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly tif: TimeInForce;
  /** The broker's clock when the order was placed: the close time of the last bar delivered. Only bars with `t >= placedAt` can fill it. */
  readonly placedAt: number;
  readonly status: OrderStatus;
  /** A `stopLimit` whose stop has been reached and now works as a limit order. */
  readonly triggered?: boolean;
}

const SIDES: readonly string[] = ['buy', 'sell'];
const TYPES: readonly string[] = ['market', 'limit', 'stop', 'stopLimit'];
const TIFS: readonly string[] = ['day', 'gtc'];

/** A request that passed validation, defaults filled in. */
export type ValidOrderRequest = Required<Pick<OrderRequest, 'symbol' | 'side' | 'qty' | 'type' | 'tif'>> & Pick<OrderRequest, 'limitPrice' | 'stopPrice'>;

/** Checks a request as a user may write it (from JavaScript, too) and fills in the defaults. */
export function validateOrderRequest(request: OrderRequest): ValidOrderRequest {
  const { symbol, side, qty, limitPrice, stopPrice } = request;
  const type = request.type ?? 'market';
  const tif = request.tif ?? 'day';
  if (typeof symbol !== 'string' || symbol.length === 0) {
    throw new BrokerError('INVALID_SYMBOL', `An order needs a symbol, got ${JSON.stringify(symbol)}.`, { symbol });
  }
  if (!SIDES.includes(side)) throw new BrokerError('INVALID_SIDE', `Order side must be 'buy' or 'sell', got ${JSON.stringify(side)}.`, { side });
  if (!Number.isSafeInteger(qty) || qty <= 0) {
    throw new BrokerError('INVALID_QTY', `Order quantity must be a positive whole number of shares, got ${String(qty)}.`, { symbol, qty });
  }
  if (!TYPES.includes(type)) {
    throw new BrokerError('INVALID_ORDER_TYPE', `Order type must be one of ${TYPES.join(', ')}, got ${JSON.stringify(type)}.`, { type });
  }
  if (!TIFS.includes(tif)) throw new BrokerError('INVALID_TIF', `Time in force must be 'day' or 'gtc', got ${JSON.stringify(tif)}.`, { tif });
  const needsLimit = type === 'limit' || type === 'stopLimit';
  const needsStop = type === 'stop' || type === 'stopLimit';
  checkPrice('limitPrice', limitPrice, needsLimit, type, 'MISSING_LIMIT_PRICE');
  checkPrice('stopPrice', stopPrice, needsStop, type, 'MISSING_STOP_PRICE');
  return { symbol, side, qty, type, tif, limitPrice, stopPrice };
}

function checkPrice(name: string, price: number | undefined, needed: boolean, type: string, missing: 'MISSING_LIMIT_PRICE' | 'MISSING_STOP_PRICE'): void {
  if (price === undefined) {
    if (needed) throw new BrokerError(missing, `A ${type} order needs a ${name}.`, { type });
    return;
  }
  if (!needed) throw new BrokerError('PRICE_NOT_ALLOWED', `A ${type} order takes no ${name} (got ${String(price)}).`, { type, [name]: price });
  if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
    throw new BrokerError('INVALID_PRICE', `${name} must be a positive finite number, got ${String(price)}.`, { [name]: price });
  }
}
