import { defineStrategy, generateDayBars, MemoryBarStore, nyse, runBacktest, silentLogger } from 'tapedeck';
import smaCross from '../../examples/sma-cross.js';
import { report, summarize } from '../measure.js';

const SYMBOLS = 100;
const FROM = '2024-03-04';
const TO = '2024-03-08';
const RUNS = 3;

/**
 * Case 9: a strategy run as a user writes one. The SMA crossover example over 100 symbols and
 * five days (plus its five warm-up days) from memory: 1m bars through the broker per second of
 * the whole run, and the day change, from one day's summary to the next day's `onDayStart`
 * (closing the session, opening the next, loading and warming up its symbols).
 */
export async function strategyRun(): Promise<void> {
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
  const store = new MemoryBarStore();
  let day = FROM;
  for (let i = 0; i < smaCross.warmup.days; i++) day = nyse.previousTradingDay(day);
  for (; day <= TO; day = nyse.nextTradingDay(day)) {
    const session = nyse.session(day)!;
    for (const [k, symbol] of symbols.entries()) await store.putBars(symbol, '1m', generateDayBars(symbol, session, { seed: k + 1 }));
  }

  const rates: number[] = [];
  const dayChanges: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let dayEnded: number | undefined;
    const strategy = defineStrategy({
      ...smaCross,
      onDayStart(ctx, today) {
        if (dayEnded !== undefined) dayChanges.push(performance.now() - dayEnded);
        smaCross.onDayStart!(ctx, today);
      },
    });
    const started = performance.now();
    const result = await runBacktest({ strategy, from: FROM, to: TO, store, symbols, cash: 1_000_000, logger: silentLogger, onDay: () => (dayEnded = performance.now()) });
    const seconds = (performance.now() - started) / 1000;
    rates.push(result.days.reduce((sum, d) => sum + d.bars, 0) / seconds);
  }
  report(
    'strategy-run',
    { strategy: 'examples/sma-cross.ts', symbols: SYMBOLS, from: FROM, to: TO, warmupDays: smaCross.warmup.days, streams: smaCross.streams, store: 'memory' },
    {
      throughput: { unit: '1m bars/s', ...summarize(rates, 0), slowest: Math.round(Math.min(...rates)), fastest: Math.round(Math.max(...rates)) },
      dayChange: { unit: 'ms', ...summarize(dayChanges, 1), fastest: Number(Math.min(...dayChanges).toFixed(1)) },
    },
  );
}
