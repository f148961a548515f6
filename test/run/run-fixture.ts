import { nyse } from '../../calendar/nyse.js';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { generateDayBars } from '../../storage/synthetic/synthetic-bars.js';
import { defineStrategy } from '../../run/strategy.js';

/** Synthetic 1m bars of `symbols` over the trading days `from..to`; `missingRate` 0 gives every minute. */
export async function syntheticStore(symbols: string[], from: string, to: string, options: { seed?: number; missingRate?: number } = {}): Promise<MemoryBarStore> {
  const store = new MemoryBarStore();
  for (const symbol of symbols) {
    const bars = nyse.tradingDays(from, to).flatMap((date) => generateDayBars(symbol, nyse.session(date)!, options));
    await store.putBars(symbol, '1m', bars);
  }
  return store;
}

const MINUTE_MS = 60_000;

/**
 * Trades every symbol on a rhythm of its own minute of the day, keeps no state and is flat at
 * each close: what a run of many days and the same days run one by one must agree on.
 */
export const dailyFlat = defineStrategy({
  name: 'daily-flat',
  params: { every: 23, hold: 9, size: 10 },
  symbols: ['AAA', 'BBB'],
  streams: ['1m'],
  onBar(ctx, bar) {
    const minute = (bar.t - ctx.day.open) / MINUTE_MS;
    const { qty } = ctx.broker.position(bar.symbol);
    if (bar.t + MINUTE_MS >= ctx.day.close - 10 * MINUTE_MS) {
      if (qty !== 0 && ctx.broker.openOrders(bar.symbol).length === 0) ctx.broker.close(bar.symbol);
      return;
    }
    if (qty === 0 && minute % ctx.params.every === 0) {
      if (bar.c >= bar.o) ctx.broker.buy(bar.symbol, ctx.params.size);
      else ctx.broker.sell(bar.symbol, ctx.params.size);
    } else if (qty !== 0 && minute % ctx.params.every === ctx.params.hold) {
      ctx.broker.close(bar.symbol);
    }
  },
});
