import type { BrokerBar } from '../../broker/simulated-broker.js';

export const M = 60_000;
export const DAY = 86_400_000;

/** The 1m bar of `symbol` opening `minute` minutes into day `day`. */
export function bar(symbol: string, minute: number, o: number, h: number, l: number, c: number, day = 0): BrokerBar {
  return { symbol, t: day * DAY + minute * M, o, h, l, c, v: 100 };
}

/** A bar that trades at one price only. */
export function flat(symbol: string, minute: number, price: number, day = 0): BrokerBar {
  return bar(symbol, minute, price, price, price, price, day);
}
