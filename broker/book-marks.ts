/** Room for this many books before the arrays first grow. */
const FIRST_SIZE = 64;

/**
 * What each bar of a symbol reads and writes in the broker, by the turn of its book (the order
 * the books were opened), in arrays side by side: the open time and close of its last bar, its
 * position's quantity, and whether its book has open orders. A bar of a symbol without orders
 * touches these numbers and its name only, where it reached the book, its lots and its order
 * list: three objects apart in memory for each of 500 symbols a minute.
 */
export class BookMarks {
  /** The symbol of each turn. */
  readonly symbols: string[] = [];
  /** Open time of the symbol's last bar; −∞ before its first. */
  lastT = new Float64Array(FIRST_SIZE);
  /** Close of its last bar, money units; 0 before its first. */
  closeUnits = new Float64Array(FIRST_SIZE);
  /** Its position, signed shares: the book's lots' `qty`, copied whenever a fill changes it. */
  qty = new Float64Array(FIRST_SIZE);
  /** 1 when its book may have open orders: set with each order, cleared by a bar that finds none. */
  ordersOpen = new Uint8Array(FIRST_SIZE);

  /** The next turn, for `symbol`. */
  add(symbol: string, lastT: number, closeUnits: number, qty: number, ordersOpen: boolean): number {
    const turn = this.symbols.length;
    if (turn === this.lastT.length) this.grow();
    this.symbols.push(symbol);
    this.lastT[turn] = lastT;
    this.closeUnits[turn] = closeUnits;
    this.qty[turn] = qty;
    this.ordersOpen[turn] = ordersOpen ? 1 : 0;
    return turn;
  }

  private grow(): void {
    const size = 2 * this.lastT.length;
    this.lastT = copiedInto(new Float64Array(size), this.lastT);
    this.closeUnits = copiedInto(new Float64Array(size), this.closeUnits);
    this.qty = copiedInto(new Float64Array(size), this.qty);
    this.ordersOpen = copiedInto(new Uint8Array(size), this.ordersOpen);
  }
}

function copiedInto<A extends Float64Array | Uint8Array>(wider: A, values: A): A {
  wider.set(values);
  return wider;
}
