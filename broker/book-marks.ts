/** Room for this many books before the arrays first grow. */
const FIRST_SIZE = 64;

/**
 * What each bar of a symbol reads and writes in the broker, by the turn of its book (the order
 * the books were opened), in arrays side by side: the open time and close of its last bar, its
 * position's quantity, and whether its book has open orders. A bar of a symbol without orders
 * touches these numbers and its name only. With each book's fields on the book, its lots and its
 * order list, a bar reached three objects, and at 500 symbols they did not stay in the cache from
 * one minute to the next: the broker's work was ~90 ns a bar in a run, ~27 ns over 50 symbols.
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

  get size(): number {
    return this.symbols.length;
  }

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
    const wider = <A extends Float64Array | Uint8Array>(array: A, make: (size: number) => A): A => {
      const grown = make(size);
      grown.set(array);
      return grown;
    };
    this.lastT = wider(this.lastT, (n) => new Float64Array(n));
    this.closeUnits = wider(this.closeUnits, (n) => new Float64Array(n));
    this.qty = wider(this.qty, (n) => new Float64Array(n));
    this.ordersOpen = wider(this.ordersOpen, (n) => new Uint8Array(n));
  }
}
