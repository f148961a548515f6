import { BrokerError, positionOpenError } from './broker-error.js';
import { checkCommissionModel, commissionUnits, type CommissionModel } from './commission.js';
import type { Fill, FillReason } from './fill.js';
import { fillPrice, type BarUnits, type WorkingOrder } from './fill-rules.js';
import { FifoLots, type LotsSnapshot } from './fifo-lots.js';
import { fromUnits, toUnits } from './money.js';
import { validateOrderRequest, type Order, type OrderOptions, type OrderRequest, type OrderSide, type OrderStatus, type OrderType, type TimeInForce, type ValidOrderRequest } from './order.js';
import { checkSlippageModel, slippedUnits, type SlippageModel } from './slippage.js';
import { BookMarks } from './book-marks.js';
import { MINUTE_MS, type Bar } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';


export interface BrokerOptions {
  /** Starting cash, in the account currency. */
  cash: number;
  commission?: CommissionModel;
  slippage?: SlippageModel;
}

/** A 1m bar of one symbol, as the engine delivers it. `interval`, if present, must be `1m`. */
export interface BrokerBar extends Bar {
  symbol: string;
  interval?: string;
}

export interface Position {
  symbol: string;
  /** Signed: > 0 long, < 0 short, 0 flat. */
  qty: number;
  /** Average price of the open shares (first in, first out: of the lots still open); 0 when flat. */
  avgPrice: number;
  /** qty × last close: negative for a short. */
  marketValue: number;
  /** marketValue − what the open shares cost. */
  unrealizedPnl: number;
}

/** The account after the last bar delivered: what a per-minute equity curve records. */
export interface EquityPoint {
  /** The broker's clock: close time of the last bar delivered (epoch ms). */
  t: number;
  equity: number;
  cash: number;
  /** Σ |qty| × last close over open positions. */
  grossExposure: number;
}

/**
 * A broker's account as JSON, between two bars (a resumed run takes it from a day's close):
 * money in units, times in epoch ms (`null` for "no bar yet"). Orders that closed before it are
 * not in it, only how many orders were placed.
 */
export interface BrokerSnapshot {
  cashUnits: number;
  marketValueUnits: number;
  grossUnits: number;
  clock: number;
  lastBarT: number | null;
  ordersPlaced: number;
  books: Array<{ symbol: string; closeUnits: number; lastT: number | null; lots: LotsSnapshot; orders: OrderState[] }>;
}

export interface OrderState extends WorkingOrder {
  /** Placement order: 1 for `o1`. */
  seq: number;
  id: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  type: OrderType;
  limitPrice?: number;
  stopPrice?: number;
  tif: TimeInForce;
  placedAt: number;
  status: OrderStatus;
}

interface SymbolBook {
  symbol: string;
  /** Its place in the broker's books in the order they were opened, and in `BookMarks`. */
  turn: number;
  lots: FifoLots;
  /** Open orders in the order they were placed, so their `placedAt` never decreases. */
  orders: OrderState[];
}

/**
 * A broker simulated in the data plane. The engine feeds it every 1m bar in time order
 * (`onBar`) before the strategy sees that bar, and calls `endOfDay()` at each session close.
 * An order placed while the clock stands at T (the close of the last bar delivered) can only
 * fill on a bar with `t >= T`: never on one that had not closed when the order was sent.
 * README, "Broker: what results mean", states every rule.
 */
export class SimulatedBroker {
  private readonly commission: CommissionModel;
  private readonly slippage: SlippageModel;
  private readonly books = new Map<string, SymbolBook>();
  /**
   * The books in the order they were opened, and the turn after the last one a bar reached. An
   * engine hands each minute's bars in the same symbol order as the minute before, so a bar's
   * turn is nearly always that next one: found by comparing its name in `marks.symbols`
   * instead of a hash lookup.
   */
  private readonly inTurn: SymbolBook[] = [];
  private nextTurn = 0;
  /** Each book's last bar, position and whether it has orders, by turn: what every bar reads. */
  private readonly marks = new BookMarks();
  /** Where `onBar` puts a bar object's fields for `onBarAt`: one way in for every bar. */
  private readonly oneBar: BarColumnsView = { length: 1, t: new Float64Array(1), o: new Float64Array(1), h: new Float64Array(1), l: new Float64Array(1), c: new Float64Array(1), v: new Float64Array(1) };
  private readonly orders = new Map<string, OrderState>();
  private readonly fillLog: Fill[] = [];
  private cashUnits: number;
  /** Σ qty × last close, money units, kept as bars and fills arrive. */
  private marketValueUnits = 0;
  private grossUnits = 0;
  private clock = 0;
  private lastBarT = Number.NEGATIVE_INFINITY;
  private nextOrder = 1;
  /** Orders up to this sequence that are not in `orders` closed before a `restore`: cancelling them is a no-op. */
  private forgottenOrders = 0;

  /** Orders placed so far, filled, cancelled or open: their ids are `o1` … `o{ordersPlaced}`. */
  get ordersPlaced(): number {
    return this.nextOrder - 1;
  }

  constructor(options: BrokerOptions) {
    if (typeof options.cash !== 'number' || !Number.isFinite(options.cash)) {
      throw new BrokerError('INVALID_CONFIG', `cash must be a finite number, got ${String(options.cash)}.`, { cash: options.cash });
    }
    this.commission = { ...options.commission };
    this.slippage = { ...options.slippage };
    checkCommissionModel(this.commission);
    checkSlippageModel(this.slippage);
    this.cashUnits = toUnits(options.cash);
  }

  /** The account now, as JSON; with `restore`, another process goes on from here. Fills are the caller's to keep. */
  snapshot(): BrokerSnapshot {
    return {
      cashUnits: this.cashUnits,
      marketValueUnits: this.marketValueUnits,
      grossUnits: this.grossUnits,
      clock: this.clock,
      lastBarT: Number.isFinite(this.lastBarT) ? this.lastBarT : null,
      ordersPlaced: this.ordersPlaced,
      books: [...this.books].map(([symbol, { turn, lots, orders }]) => ({
        symbol,
        closeUnits: this.marks.closeUnits[turn]!,
        lastT: Number.isFinite(this.marks.lastT[turn]) ? this.marks.lastT[turn]! : null,
        lots: lots.snapshot(),
        orders: orders.map((order) => ({ ...order })),
      })),
    };
  }

  /**
   * A broker that goes on from `snapshot` as the one that took it would: the same cash,
   * positions, open orders and order ids; `fills` are the ones made before it, in order.
   */
  static restore(options: BrokerOptions, snapshot: BrokerSnapshot, fills: readonly Fill[]): SimulatedBroker {
    const broker = new SimulatedBroker(options);
    broker.cashUnits = snapshot.cashUnits;
    broker.marketValueUnits = snapshot.marketValueUnits;
    broker.grossUnits = snapshot.grossUnits;
    broker.clock = snapshot.clock;
    broker.lastBarT = snapshot.lastBarT ?? Number.NEGATIVE_INFINITY;
    broker.nextOrder = snapshot.ordersPlaced + 1;
    broker.forgottenOrders = snapshot.ordersPlaced;
    for (const book of snapshot.books) {
      const orders = book.orders.map(restoredOrder);
      for (const order of orders) broker.orders.set(order.id, order);
      broker.open(book.symbol, FifoLots.restore(book.symbol, book.lots), book.closeUnits, book.lastT ?? Number.NEGATIVE_INFINITY, orders);
    }
    for (const fill of fills) broker.fillLog.push({ ...fill });
    return broker;
  }

  get cash(): number {
    return fromUnits(this.cashUnits);
  }

  /** Cash plus every position marked at its symbol's last close. */
  get equity(): number {
    return fromUnits(this.cashUnits + this.marketValueUnits);
  }

  /** Close time of the last bar delivered (epoch ms); 0 before any. */
  get now(): number {
    return this.clock;
  }

  /** Every fill so far, in the order they happened. */
  get fills(): readonly Fill[] {
    return this.fillLog;
  }

  equityPoint(): EquityPoint {
    return { t: this.clock, equity: this.equity, cash: this.cash, grossExposure: fromUnits(this.grossUnits) };
  }

  /** Delivers one 1m bar: fills the symbol's orders it reaches, then marks the position at its close. */
  onBar(bar: BrokerBar): void {
    if (bar.interval !== undefined && bar.interval !== '1m') {
      throw new BrokerError('INVALID_BAR', `The broker takes 1m bars only, got a ${bar.interval} bar of ${bar.symbol}.`, { symbol: bar.symbol, t: bar.t, interval: bar.interval });
    }
    const { symbol, t, o, h, l, c } = bar;
    // A typed array would take "5" as 5: what is not a number is refused as it comes.
    if (![t, o, h, l, c].every((field) => typeof field === 'number')) throw invalidBar({ symbol, t, o, h, l, c });
    const one = this.oneBar;
    one.t[0] = t;
    one.o[0] = o;
    one.h[0] = h;
    one.l[0] = l;
    one.c[0] = c;
    this.onBarAt(symbol, one, 0);
  }

  /**
   * `onBar` for the 1m bar of `symbol` at `index` of `bars` (its volume plays no part): no bar
   * object to build, no number boxed (`session.onBarAt` hands bars so).
   */
  onBarAt(symbol: string, bars: BarColumnsView, index: number): void {
    const t = bars.t[index]!;
    const o = bars.o[index]!;
    const h = bars.h[index]!;
    const l = bars.l[index]!;
    const c = bars.c[index]!;
    const pricesOk = l > 0 && Number.isFinite(h) && l <= o && l <= c && h >= o && h >= c; // NaN fails every comparison
    if (typeof symbol !== 'string' || symbol.length === 0 || !Number.isSafeInteger(t) || !pricesOk) throw invalidBar({ symbol, t, o, h, l, c });
    if (t < this.lastBarT) {
      throw new BrokerError('BAR_OUT_OF_ORDER', `Bar ${symbol} at ${t} arrived after a bar at ${this.lastBarT}: bars must come in time order.`, { symbol, t });
    }
    const turn = this.turnOf(symbol);
    const marks = this.marks;
    if (t <= marks.lastT[turn]!) {
      throw new BrokerError('BAR_OUT_OF_ORDER', `Bar ${symbol} at ${t} is not after its previous bar at ${marks.lastT[turn]}.`, { symbol, t });
    }
    this.lastBarT = t;
    this.clock = Math.max(this.clock, t + MINUTE_MS);
    const closeUnits = toUnits(c);
    if (marks.ordersOpen[turn] !== 0) {
      const book = this.inTurn[turn]!;
      if (book.orders.length > 0) this.workOrders(book, t, { o: toUnits(o), h: toUnits(h), l: toUnits(l), c: closeUnits });
      if (book.orders.length === 0) marks.ordersOpen[turn] = 0;
    }
    const qty = marks.qty[turn]!;
    if (qty !== 0) {
      this.marketValueUnits += qty * (closeUnits - marks.closeUnits[turn]!);
      this.grossUnits += Math.abs(qty) * (closeUnits - marks.closeUnits[turn]!);
    }
    marks.closeUnits[turn] = closeUnits;
    marks.lastT[turn] = t;
  }

  /** The session closed: cancels every open DAY order and returns them. GTC orders stay. */
  endOfDay(): Order[] {
    const cancelled: OrderState[] = [];
    for (const book of this.books.values()) {
      book.orders = book.orders.filter((order) => {
        if (order.tif !== 'day') return true;
        order.status = 'cancelled';
        cancelled.push(order);
        return false;
      });
    }
    return cancelled.sort(bySequence).map(publicOrder);
  }

  order(request: OrderRequest): Order {
    const order = this.register(validateOrderRequest(request));
    const book = this.book(order.symbol);
    book.orders.push(order);
    this.marks.ordersOpen[book.turn] = 1;
    return publicOrder(order);
  }

  buy(symbol: string, qty: number, options: OrderOptions = {}): Order {
    return this.order(withOptions(symbol, 'buy', qty, options));
  }

  sell(symbol: string, qty: number, options: OrderOptions = {}): Order {
    return this.order(withOptions(symbol, 'sell', qty, options));
  }

  /** A market order for the whole position as it stands now; `undefined` when flat. */
  close(symbol: string, options: Pick<OrderOptions, 'tif'> = {}): Order | undefined {
    const qty = this.books.get(symbol)?.lots.qty ?? 0;
    if (qty === 0) return undefined;
    return this.order({ symbol, side: qty > 0 ? 'sell' : 'buy', qty: Math.abs(qty), type: 'market', tif: options.tif ?? 'day' });
  }

  /** `true` if the order was open and is now cancelled; `false` if it had already filled or been cancelled. */
  cancel(orderId: string): boolean {
    const order = this.orders.get(orderId);
    if (!order && this.closedBeforeRestore(orderId)) return false;
    if (!order) throw new BrokerError('UNKNOWN_ORDER', `No order ${JSON.stringify(orderId)}: ids are those returned by order(), buy() and sell().`, { orderId });
    if (order.status !== 'open') return false;
    const book = this.books.get(order.symbol)!;
    book.orders.splice(book.orders.indexOf(order), 1);
    order.status = 'cancelled';
    return true;
  }

  /**
   * Cancels the symbol's open orders and closes its position now, at the last delivered bar's
   * close (slippage and commission apply); the fill says `reason: 'flatten'`. What removing a
   * symbol with `{ flatten: true }` does. `undefined` when flat.
   */
  flatten(symbol: string): Fill | undefined {
    const book = this.books.get(symbol);
    if (!book) return undefined;
    for (const order of [...book.orders]) this.cancel(order.id);
    const qty = book.lots.qty;
    if (qty === 0) return undefined;
    const order = this.register({ symbol, side: qty > 0 ? 'sell' : 'buy', qty: Math.abs(qty), type: 'market', tif: 'day' });
    return this.execute(book, order, this.marks.closeUnits[book.turn]!, this.marks.lastT[book.turn]!, 'flatten');
  }

  /** Throws `POSITION_OPEN` unless the symbol is flat: the check before removing a symbol. */
  assertFlat(symbol: string): void {
    const qty = this.books.get(symbol)?.lots.qty ?? 0;
    if (qty !== 0) throw positionOpenError(symbol, qty);
  }

  position(symbol: string): Position {
    const book = this.books.get(symbol);
    if (!book || book.lots.qty === 0) return { symbol, qty: 0, avgPrice: 0, marketValue: 0, unrealizedPnl: 0 };
    const { qty, costUnits } = book.lots;
    const valueUnits = qty * this.marks.closeUnits[book.turn]!;
    return { symbol, qty, avgPrice: fromUnits(costUnits / qty), marketValue: fromUnits(valueUnits), unrealizedPnl: fromUnits(valueUnits - costUnits) };
  }

  /** Open positions, in the order their symbols were first seen. */
  positions(): Position[] {
    const open: Position[] = [];
    for (const [symbol, book] of this.books) if (book.lots.qty !== 0) open.push(this.position(symbol));
    return open;
  }

  /** `undefined` for an unknown id, and for an order that closed before a `restore`. */
  getOrder(orderId: string): Order | undefined {
    const order = this.orders.get(orderId);
    return order && publicOrder(order);
  }

  /** Open orders, of one symbol or all, in the order they were placed. */
  openOrders(symbol?: string): Order[] {
    // One symbol's are in placement order already: a strategy asks this on every signal.
    if (symbol !== undefined) return (this.books.get(symbol)?.orders ?? NO_ORDERS).map(publicOrder);
    return [...this.books.values()].flatMap((b) => b.orders).sort(bySequence).map(publicOrder);
  }

  /**
   * Gives the order its id and its place in time; the caller decides where it works. Built
   * field by field so every order has one shape: spreads of objects of varying shapes made
   * order entry ~25× slower.
   */
  private register(valid: ValidOrderRequest): OrderState {
    const seq = this.nextOrder;
    this.nextOrder += 1;
    const order: OrderState = {
      seq,
      id: `o${seq}`,
      symbol: valid.symbol,
      side: valid.side,
      qty: valid.qty,
      type: valid.type,
      limitPrice: valid.limitPrice,
      stopPrice: valid.stopPrice,
      tif: valid.tif,
      placedAt: this.clock,
      status: 'open',
      triggered: false,
      limitUnits: valid.limitPrice === undefined ? undefined : toUnits(valid.limitPrice),
      stopUnits: valid.stopPrice === undefined ? undefined : toUnits(valid.stopPrice),
    };
    this.orders.set(order.id, order);
    return order;
  }

  private closedBeforeRestore(orderId: string): boolean {
    const seq = /^o([1-9]\d*)$/.exec(orderId)?.[1];
    return seq !== undefined && Number(seq) <= this.forgottenOrders;
  }

  private book(symbol: string): SymbolBook {
    return this.books.get(symbol) ?? this.open(symbol, new FifoLots(symbol), 0, Number.NEGATIVE_INFINITY, []);
  }

  /** The turn of `symbol`'s book for the next bar: the one after the last one reached, when it is that symbol's. */
  private turnOf(symbol: string): number {
    const next = this.nextTurn;
    const turn = this.marks.symbols[next] === symbol ? next : this.book(symbol).turn;
    this.nextTurn = turn + 1 === this.inTurn.length ? 0 : turn + 1;
    return turn;
  }

  private open(symbol: string, lots: FifoLots, closeUnits: number, lastT: number, orders: OrderState[]): SymbolBook {
    const book: SymbolBook = { symbol, turn: this.marks.add(symbol, lastT, closeUnits, lots.qty, orders.length > 0), lots, orders };
    this.books.set(symbol, book);
    this.inTurn.push(book);
    return book;
  }

  private workOrders(book: SymbolBook, t: number, bar: BarUnits): void {
    for (let i = 0; i < book.orders.length; ) {
      const order = book.orders[i]!;
      if (t < order.placedAt) break; // this one and every later one were sent after this bar opened
      const price = fillPrice(order, bar);
      if (price === undefined) {
        i += 1;
        continue;
      }
      book.orders.splice(i, 1);
      this.execute(book, order, price, t, undefined);
    }
  }

  private execute(book: SymbolBook, order: OrderState, baseUnits: number, t: number, reason: FillReason | undefined): Fill {
    const limit = order.type === 'limit' || order.type === 'stopLimit' ? order.limitUnits : undefined;
    const priceUnits = slippedUnits(this.slippage, order.side, baseUnits, limit);
    const notional = order.qty * priceUnits;
    const commission = commissionUnits(this.commission, order.qty, notional);
    const signedQty = order.side === 'buy' ? order.qty : -order.qty;
    const before = Math.abs(book.lots.qty);
    this.cashUnits -= signedQty * priceUnits + commission;
    book.lots.apply({ orderId: order.id, t, signedQty, priceUnits, commissionUnits: commission });
    const closeUnits = this.marks.closeUnits[book.turn]!;
    this.marketValueUnits += signedQty * closeUnits;
    this.grossUnits += (Math.abs(book.lots.qty) - before) * closeUnits;
    this.marks.qty[book.turn] = book.lots.qty;
    order.status = 'filled';
    const fill: Fill = { orderId: order.id, symbol: order.symbol, side: order.side, qty: order.qty, price: fromUnits(priceUnits), t, commission: fromUnits(commission) };
    if (reason) fill.reason = reason;
    this.fillLog.push(fill);
    return fill;
  }
}

function invalidBar(bar: { symbol: unknown; t: unknown; o: unknown; h: unknown; l: unknown; c: unknown }): BrokerError {
  return new BrokerError('INVALID_BAR', `Not a valid bar: ${JSON.stringify(bar)} (needs a symbol, an integer t, positive prices with low ≤ open, close ≤ high).`, { symbol: bar.symbol, t: bar.t });
}

/** Field by field: an object spread of options of varying shapes costs microseconds an order. */
function withOptions(symbol: string, side: OrderSide, qty: number, options: OrderOptions): OrderRequest {
  return { symbol, side, qty, type: options.type, limitPrice: options.limitPrice, stopPrice: options.stopPrice, tif: options.tif };
}

/** Field by field, as `register` builds them: one shape for every order. */
function restoredOrder(saved: OrderState): OrderState {
  return {
    seq: saved.seq,
    id: saved.id,
    symbol: saved.symbol,
    side: saved.side,
    qty: saved.qty,
    type: saved.type,
    limitPrice: saved.limitPrice,
    stopPrice: saved.stopPrice,
    tif: saved.tif,
    placedAt: saved.placedAt,
    status: saved.status,
    triggered: saved.triggered,
    limitUnits: saved.limitUnits,
    stopUnits: saved.stopUnits,
  };
}

const NO_ORDERS: readonly OrderState[] = [];

function bySequence(a: OrderState, b: OrderState): number {
  return a.seq - b.seq;
}

function publicOrder(state: OrderState): Order {
  const order: { -readonly [K in keyof Order]: Order[K] } = {
    id: state.id,
    symbol: state.symbol,
    side: state.side,
    qty: state.qty,
    type: state.type,
    tif: state.tif,
    placedAt: state.placedAt,
    status: state.status,
  };
  if (state.limitPrice !== undefined) order.limitPrice = state.limitPrice;
  if (state.stopPrice !== undefined) order.stopPrice = state.stopPrice;
  if (state.type === 'stopLimit') order.triggered = state.triggered;
  return order;
}
