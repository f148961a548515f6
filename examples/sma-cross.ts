// An SMA crossover: long when the fast average of 5m closes crosses above the slow one, flat
// when it crosses back below. The averages start each day from the warm-up and earlier days.
// An SMA is the mean of its last closes, so its state is those closes: `saveState` writes them
// and `loadState` feeds them to new averages, and a resumed run goes on exactly as the
// uninterrupted one from its first unfinished day.
//
//   tapedeck data generate --symbols AAPL,MSFT --from 2024-02-26 --to 2024-03-28
//   tapedeck backtest --strategy examples/sma-cross.ts --from 2024-03-04 --to 2024-03-28 --param fast=5
import { SMA } from 'trading-signals';
import { defineStrategy, type StrategyContext } from 'tapedeck';

interface Averages {
  fast: SMA;
  slow: SMA;
  /** fast − slow after the previous bar; undefined until both are stable. */
  spread?: number;
}

export default defineStrategy({
  name: 'sma-cross',
  params: { fast: 10, slow: 30, size: 100 },
  symbols: ['AAPL', 'MSFT'],
  streams: ['5m'],
  warmup: { days: 5 },
  init: () => ({ averages: new Map<string, Averages>() }),
  onDayStart(ctx) {
    // Symbols added since are seeded from their history the first time they are seen.
    for (const symbol of ctx.session.listSymbols().map((s) => s.symbol)) averagesOf(ctx, symbol);
  },
  onBar(ctx, bar) {
    const averages = averagesOf(ctx, bar.symbol);
    const before = averages.spread;
    averages.spread = update(averages, bar.c);
    if (before === undefined || averages.spread === undefined) return;
    const crossedUp = before <= 0 && averages.spread > 0;
    const crossedDown = before >= 0 && averages.spread < 0;
    if (!crossedUp && !crossedDown) return;
    const { qty } = ctx.broker.position(bar.symbol);
    if (ctx.broker.openOrders(bar.symbol).length > 0) return;
    if (crossedUp && qty === 0) ctx.broker.buy(bar.symbol, ctx.params.size);
    if (crossedDown && qty > 0) ctx.broker.close(bar.symbol);
  },
  result: (ctx) => ({ symbols: [...ctx.state.averages.keys()] }),
  saveState: (ctx): SavedAverages[] =>
    [...ctx.state.averages].map(([symbol, { fast, slow, spread }]) => ({ symbol, fast: [...fast.prices], slow: [...slow.prices], spread: spread ?? null })),
  loadState(ctx, saved) {
    const averages = new Map<string, Averages>();
    for (const { symbol, fast, slow, spread } of saved as SavedAverages[]) {
      const restored: Averages = { fast: new SMA(ctx.params.fast), slow: new SMA(ctx.params.slow) };
      for (const close of fast) restored.fast.add(close);
      for (const close of slow) restored.slow.add(close);
      if (spread !== null) restored.spread = spread;
      averages.set(symbol, restored);
    }
    return { averages };
  },
});

/** One symbol's averages as JSON: the closes each one averages (its last `fast` / `slow`). */
interface SavedAverages {
  symbol: string;
  fast: number[];
  slow: number[];
  spread: number | null;
}

type Context = StrategyContext<{ fast: number; slow: number; size: number }, { averages: Map<string, Averages> }>;

function averagesOf(ctx: Context, symbol: string): Averages {
  let averages = ctx.state.averages.get(symbol);
  if (!averages) {
    averages = { fast: new SMA(ctx.params.fast), slow: new SMA(ctx.params.slow) };
    for (const bar of ctx.history(symbol, '5m', ctx.params.slow * 2)) averages.spread = update(averages, bar.c);
    ctx.state.averages.set(symbol, averages);
  }
  return averages;
}

function update(averages: Averages, close: number): number | undefined {
  const fast = averages.fast.add(close);
  const slow = averages.slow.add(close);
  return fast === null || slow === null ? undefined : fast - slow;
}
