// An opening-range breakout on the day's top movers. The run streams one market symbol; when
// the opening range ends it adds every candidate mid-session with ctx.session.addSymbol. Each
// is caught up to that minute as if present from the open, so its opening range is already in
// ctx.session.data: the `top` that moved most are kept, the others removed. A kept symbol is
// bought on a close above its range high (sold short below its low) once it is active, and
// every position is closed, and the movers removed, shortly before the close: the next day
// scans again.
//
//   tapedeck data generate --symbols SPY,AAPL,MSFT,NVDA,TSLA,AMD,META --from 2024-03-04 --to 2024-03-08
//   tapedeck backtest --strategy examples/opening-range-breakout.ts --from 2024-03-04 --to 2024-03-08
import { defineStrategy, type StrategyContext } from 'tapedeck';

const MINUTE_MS = 60_000;

interface Range {
  high: number;
  low: number;
  /** |last close − first open| / first open over the opening range. */
  move: number;
}

interface State {
  /** Today's kept movers and their opening ranges. */
  movers: Map<string, Range>;
  /** Whether today's scan was made. */
  scanned: boolean;
  /** Symbols traded today: one breakout a symbol a day. */
  traded: Set<string>;
  /** Per day, the movers kept: what `result` reports. */
  log: Array<{ date: string; movers: string[] }>;
}

type Params = { market: string; candidates: string; rangeMinutes: number; top: number; size: number; exitMinutes: number };

export default defineStrategy({
  name: 'opening-range-breakout',
  params: { market: 'SPY', candidates: 'AAPL,MSFT,NVDA,TSLA,AMD,META', rangeMinutes: 30, top: 2, size: 50, exitMinutes: 15 } as Params,
  symbols: ['SPY'],
  streams: ['1m'],
  warmup: { days: 0 },
  init: (): State => ({ movers: new Map(), scanned: false, traded: new Set(), log: [] }),
  onDayStart(ctx) {
    ctx.state.movers.clear();
    ctx.state.traded.clear();
    ctx.state.scanned = false;
  },
  onBar(ctx, bar) {
    const { params, state, day } = ctx;
    const rangeEnd = day.open + params.rangeMinutes * MINUTE_MS;
    const exitAt = day.close - params.exitMinutes * MINUTE_MS;
    if (bar.symbol === params.market) {
      if (!state.scanned && bar.t + MINUTE_MS >= rangeEnd) scan(ctx, rangeEnd);
      if (bar.t + MINUTE_MS >= exitAt) leave(ctx);
      return;
    }
    const range = state.movers.get(bar.symbol);
    if (!range || state.traded.has(bar.symbol) || bar.t + MINUTE_MS >= exitAt) return;
    if (bar.c > range.high) ctx.broker.buy(bar.symbol, params.size);
    else if (bar.c < range.low) ctx.broker.sell(bar.symbol, params.size);
    else return;
    state.traded.add(bar.symbol);
  },
  result: (ctx) => ({ movers: ctx.state.log }),
  // Only the log outlives a day (the rest starts again each morning): what a resumed run needs.
  saveState: (ctx) => ctx.state.log,
  loadState: (_ctx, saved): State => ({ movers: new Map(), scanned: false, traded: new Set(), log: saved as State['log'] }),
});

type Context = StrategyContext<Params, State>;

/** Adds every candidate; once all are caught up, keeps the `top` movers of the opening range. */
function scan(ctx: Context, rangeEnd: number): void {
  ctx.state.scanned = true;
  const present = new Set(ctx.session.listSymbols().filter((s) => s.status === 'active').map((s) => s.symbol));
  const candidates = ctx.params.candidates.split(',').map((s) => s.trim()).filter((s) => s !== '' && !present.has(s));
  const adds = candidates.map((symbol) =>
    ctx.session.addSymbol(symbol).then(
      () => symbol,
      () => undefined,
    ),
  );
  void Promise.all(adds).then((added) => {
    const ranked = added
      .filter((symbol): symbol is string => symbol !== undefined)
      .map((symbol) => ({ symbol, range: openingRange(ctx, symbol, rangeEnd) }))
      .filter((entry): entry is { symbol: string; range: Range } => entry.range !== undefined)
      .sort((a, b) => b.range.move - a.range.move || (a.symbol < b.symbol ? -1 : 1));
    for (const [i, { symbol, range }] of ranked.entries()) {
      if (i < ctx.params.top) ctx.state.movers.set(symbol, range);
      else void ctx.session.removeSymbol(symbol);
    }
    for (const symbol of added) if (symbol !== undefined && !ranked.some((r) => r.symbol === symbol)) void ctx.session.removeSymbol(symbol);
    ctx.state.log.push({ date: ctx.day.date, movers: [...ctx.state.movers.keys()] });
  });
}

/** The bars before `rangeEnd`, from the session's data: the catch-up wrote them. */
function openingRange(ctx: Context, symbol: string, rangeEnd: number): Range | undefined {
  const bars = ctx.session.data.getBarsSince(symbol, ctx.day.open).filter((b) => b.t < rangeEnd);
  if (bars.length === 0) return undefined;
  const first = bars[0]!;
  const last = bars.at(-1)!;
  return {
    high: Math.max(...bars.map((b) => b.h)),
    low: Math.min(...bars.map((b) => b.l)),
    move: Math.abs(last.c - first.o) / first.o,
  };
}

/** Before the close: every position closed, the movers removed (flattened if a close has not filled). */
function leave(ctx: Context): void {
  for (const symbol of [...ctx.state.movers.keys()]) {
    ctx.state.movers.delete(symbol);
    void ctx.session.removeSymbol(symbol, { flatten: true });
  }
}
