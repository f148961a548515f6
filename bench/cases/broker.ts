import { generateDayBars, nyse, SimulatedBroker, type BrokerBar } from 'tapedeck';
import { report, summarize } from '../measure.js';

const SYMBOLS = 500;
const FROM = '2024-03-04';
const TO = '2024-03-08';
const RUNS = 5;
/** Each symbol trades every this many of its bars: a market order in, then out. */
const TRADE_EVERY = 30;

/**
 * Case: 1m bars per second through the simulated broker alone (fills, marks, a few orders),
 * bars already merged in time order, as the engine hands them over.
 */
export async function brokerThroughput(): Promise<void> {
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
  const days = nyse.tradingDays(FROM, TO).map((date) => mergedDay(date, symbols));
  const counts = barCounts(days);
  const bars = days.reduce((sum, day) => sum + day.length, 0);
  runOnce(days, counts); // warm-up: JIT
  const ms: number[] = [];
  let fills = 0;
  for (let run = 0; run < RUNS; run++) {
    const result = runOnce(days, counts);
    ms.push(result.ms);
    fills = result.fills;
  }
  const timing = summarize(ms);
  const params = { symbols: SYMBOLS, days: days.length, bars, fills, orders: `market in and out every ${TRADE_EVERY} bars, one GTC limit a symbol a day`, commission: 'perShare 0.005, min 1', slippageBps: 1 };
  report('broker', params, { ms: timing, barsPerSecond: Math.round((bars / timing.median) * 1000) });
}

/**
 * A day's bars of every symbol, in time order, allocated in that order with one string per
 * symbol: as the engine creates the bars it streams.
 */
function mergedDay(date: string, symbols: readonly string[]): BrokerBar[] {
  const session = nyse.session(date)!;
  const bars: BrokerBar[] = [];
  symbols.forEach((symbol, s) => {
    for (const bar of generateDayBars(symbol, session, { seed: s })) bars.push({ symbol, ...bar });
  });
  return bars.sort((a, b) => a.t - b.t).map(({ symbol, t, o, h, l, c, v }) => ({ symbol, interval: '1m', t, o, h, l, c, v }));
}

/** For each bar, how many bars of its symbol the run has seen with it: the strategy's trigger, counted before timing. */
function barCounts(days: readonly BrokerBar[][]): Int32Array[] {
  const seen = new Map<string, number>();
  return days.map((day) =>
    Int32Array.from(day, (bar) => {
      const n = (seen.get(bar.symbol) ?? 0) + 1;
      seen.set(bar.symbol, n);
      return n;
    }),
  );
}

function runOnce(days: readonly BrokerBar[][], counts: readonly Int32Array[]): { ms: number; fills: number } {
  const broker = new SimulatedBroker({ cash: 10_000_000, commission: { perShare: 0.005, minimum: 1 }, slippage: { bps: 1 } });
  let equity = 0;
  const started = performance.now();
  for (let d = 0; d < days.length; d++) {
    const day = days[d]!;
    const count = counts[d]!;
    let minute = day[0]!.t;
    for (let i = 0; i < day.length; i++) {
      const bar = day[i]!;
      if (bar.t !== minute) {
        equity += broker.equityPoint().equity; // the runner's per-minute sample
        minute = bar.t;
      }
      broker.onBar(bar);
      const n = count[i]!;
      if (n % TRADE_EVERY === 0) {
        if (broker.position(bar.symbol).qty === 0) broker.buy(bar.symbol, 10);
        else broker.close(bar.symbol);
      }
      if (n % 390 === 1) broker.buy(bar.symbol, 5, { type: 'limit', limitPrice: bar.c * 0.99, tif: 'gtc' });
    }
    broker.endOfDay();
  }
  const ms = performance.now() - started;
  if (!(equity > 0)) throw new Error('no equity recorded');
  return { ms, fills: broker.fills.length };
}
