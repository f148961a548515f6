import { fromUnits } from './money.js';

/** A closed round trip: shares opened by one fill and closed by another, matched first in, first out. */
export interface RoundTrip {
  symbol: string;
  direction: 'long' | 'short';
  qty: number;
  entry: { orderId: string; t: number; price: number };
  exit: { orderId: string; t: number; price: number };
  /** (exit − entry) × qty for a long, (entry − exit) × qty for a short; before commissions. */
  pnl: number;
  /** This trip's share of its entry and exit fills' commissions, pro rata by shares. */
  commission: number;
  /** `pnl − commission`: what winning and losing are judged by. */
  netPnl: number;
  /** `pnl / (entry price × qty)`. */
  return: number;
  /** `exit.t − entry.t`, ms: from the open of the entry bar to the open of the exit bar. */
  duration: number;
}

/** A fill as the lots see it: signed shares (+ bought, − sold), money in units. */
export interface LotFill {
  orderId: string;
  t: number;
  signedQty: number;
  priceUnits: number;
  commissionUnits: number;
}

interface Lot {
  orderId: string;
  t: number;
  /** Shares still open, > 0; the direction is the book's. */
  qty: number;
  priceUnits: number;
  /** The part of the entry fill's commission not yet charged to a round trip. */
  commissionUnits: number;
}

/** A symbol's open position: signed shares, their cost, and the lots, oldest first (money in units). */
export interface LotsSnapshot {
  qty: number;
  costUnits: number;
  lots: Lot[];
}

/**
 * One symbol's open lots, oldest first. A fill against the position closes lots first in,
 * first out; what is left of it opens a lot the other way (a reversal: long → short).
 */
export class FifoLots {
  /** Signed: > 0 long, < 0 short. */
  qty = 0;
  /** Σ signed lot qty × lot price, money units: what the open shares cost. */
  costUnits = 0;
  private readonly lots: Lot[] = [];

  constructor(readonly symbol: string) {}

  /** The open position as JSON: with `restore`, how a resumed run gets it back. */
  snapshot(): LotsSnapshot {
    return { qty: this.qty, costUnits: this.costUnits, lots: this.lots.map((lot) => ({ ...lot })) };
  }

  static restore(symbol: string, snapshot: LotsSnapshot): FifoLots {
    const restored = new FifoLots(symbol);
    restored.qty = snapshot.qty;
    restored.costUnits = snapshot.costUnits;
    for (const lot of snapshot.lots) restored.lots.push({ orderId: lot.orderId, t: lot.t, qty: lot.qty, priceUnits: lot.priceUnits, commissionUnits: lot.commissionUnits });
    return restored;
  }

  /**
   * Applies a fill, appending the round trips it closed to `trips` when given. The broker
   * gives none: it keeps positions, not trips, and a trip built for nobody is garbage per fill.
   */
  apply(fill: LotFill, trips?: RoundTrip[]): void {
    const direction = Math.sign(fill.signedQty);
    const fillQty = Math.abs(fill.signedQty);
    let remaining = fillQty;
    let commissionLeft = fill.commissionUnits;
    while (remaining > 0 && this.qty !== 0 && Math.sign(this.qty) !== direction) {
      const lot = this.lots[0]!;
      const qty = Math.min(lot.qty, remaining);
      const entryCommission = qty === lot.qty ? lot.commissionUnits : Math.round((lot.commissionUnits * qty) / lot.qty);
      const exitCommission = qty === remaining ? commissionLeft : Math.round((fill.commissionUnits * qty) / fillQty);
      trips?.push(this.trip(lot, fill, qty, entryCommission + exitCommission));
      lot.qty -= qty;
      lot.commissionUnits -= entryCommission;
      commissionLeft -= exitCommission;
      remaining -= qty;
      this.qty += direction * qty;
      this.costUnits += direction * qty * lot.priceUnits;
      if (lot.qty === 0) this.lots.shift();
    }
    if (remaining > 0) {
      this.lots.push({ orderId: fill.orderId, t: fill.t, qty: remaining, priceUnits: fill.priceUnits, commissionUnits: commissionLeft });
      this.qty += direction * remaining;
      this.costUnits += direction * remaining * fill.priceUnits;
    }
  }

  private trip(lot: Lot, fill: LotFill, qty: number, commissionUnits: number): RoundTrip {
    const long = this.qty > 0;
    const pnlUnits = (long ? fill.priceUnits - lot.priceUnits : lot.priceUnits - fill.priceUnits) * qty;
    return {
      symbol: this.symbol,
      direction: long ? 'long' : 'short',
      qty,
      entry: { orderId: lot.orderId, t: lot.t, price: fromUnits(lot.priceUnits) },
      exit: { orderId: fill.orderId, t: fill.t, price: fromUnits(fill.priceUnits) },
      pnl: fromUnits(pnlUnits),
      commission: fromUnits(commissionUnits),
      netPnl: fromUnits(pnlUnits - commissionUnits),
      return: pnlUnits / (lot.priceUnits * qty),
      duration: fill.t - lot.t,
    };
  }
}
