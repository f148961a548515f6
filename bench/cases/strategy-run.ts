import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArrowBarStore, defineStrategy, generateDayBars, INTERVAL_MS, MemoryBarStore, nyse, runBacktest, silentLogger, type Bar } from 'tapedeck';
import smaCross from '../../examples/sma-cross.js';
import { report, summarize } from '../measure.js';
import { CLI, requireBuilt, timeProcess } from '../timed-process.js';
import { isMainModule } from '../own-process.js';

const SYMBOLS = 500;
/** 19 trading days (03-29 is Good Friday), plus the example's 5 warm-up days before them. */
const FROM = '2024-03-04';
const TO = '2024-03-29';
const RUNS = 3;
const EXAMPLE = fileURLToPath(new URL('../../examples/sma-cross.ts', import.meta.url));

const MINUTE_MS = INTERVAL_MS['1m'];
const FIVE_MINUTES_MS = INTERVAL_MS['5m'];

const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);

/**
 * Writes every day the run reads, warm-up included, a few symbols at a time: millions of bar
 * objects alive at once would make every GC of the measured runs slower than a user's.
 */
async function writeDataset(put: (batch: Map<string, Bar[]>) => Promise<void>): Promise<void> {
  let first = FROM;
  for (let i = 0; i < smaCross.warmup.days; i++) first = nyse.previousTradingDay(first);
  const days = nyse.tradingDays(first, TO);
  for (let k = 0; k < symbols.length; k += 25) {
    const chunk = symbols.slice(k, k + 25);
    await put(new Map(chunk.map((symbol, j) => [symbol, days.flatMap((date) => generateDayBars(symbol, nyse.session(date)!, { seed: k + j + 1 }))])));
  }
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Median and extremes; `higherIsFaster` for rates. */
function spread(values: number[], digits = 0, higherIsFaster = false) {
  const [low, high] = [Math.min(...values), Math.max(...values)].map((x) => Number(x.toFixed(digits)));
  return { ...summarize(values, digits), fastest: higherIsFaster ? high : low, slowest: higherIsFaster ? low : high };
}

/**
 * Case 9: a strategy run as a user writes one — the SMA crossover example (trading-signals),
 * 500 symbols × 19 trading days, 1m and 5m, plus its 5 warm-up days. In memory: `runBacktest` of
 * the built package (`npm run bench` runs this case in a process of its own that imports `dist/`)
 * over a MemoryBarStore, 1m bars through the broker per second of the whole call. From the
 * store: the built CLI over the Arrow store, from process start to the report written. And the
 * day change: from the last bar of a day to the first bar of the next reaching the strategy
 * (the close, history, report candles, the next day's load and catch-up).
 */
export async function strategyRun(): Promise<void> {
  const store = new MemoryBarStore();
  await writeDataset(async (batch) => {
    for (const [symbol, series] of batch) await store.putBars(symbol, '1m', series);
  });

  const rates: number[] = [];
  const cpuRates: number[] = [];
  const dayChanges: number[] = [];
  const dayChangesCpu: number[] = [];
  let traded = 0;
  // One run first, untimed: the JIT then runs optimised code, as it does for the most of a long run.
  for (let run = -1; run < RUNS; run++) {
    let lastBar: { wall: number; cpu: number } | undefined;
    const strategy = defineStrategy({
      ...smaCross,
      onDayStart(ctx, today) {
        if (lastBar !== undefined && run >= 0) {
          dayChanges.push(performance.now() - lastBar.wall);
          dayChangesCpu.push(cpuMs() - lastBar.cpu);
        }
        smaCross.onDayStart!(ctx, today);
      },
      onBar(ctx, bar) {
        smaCross.onBar!(ctx, bar);
        // Clocks read on the day's last 5m bars only: reading them on every bar cost ~4 % of the run.
        if (bar.t + FIVE_MINUTES_MS >= ctx.day.close) lastBar = { wall: performance.now(), cpu: cpuMs() };
      },
    });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await runBacktest({ strategy, from: FROM, to: TO, store, symbols, cash: 1_000_000, logger: silentLogger });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    traded = result.days.reduce((sum, d) => sum + d.bars, 0);
    if (run < 0) continue;
    rates.push(traded / seconds);
    cpuRates.push(traded / ((used.user + used.system) / 1e6));
  }
  report(
    'strategy-run',
    { strategy: 'examples/sma-cross.ts', symbols: SYMBOLS, from: FROM, to: TO, warmupDays: smaCross.warmup.days, streams: ['1m', '5m'], bars: traded, store: 'memory', tapedeck: import.meta.resolve('tapedeck').endsWith('/dist/index.js') ? 'built' : 'sources' },
    {
      throughput: { unit: '1m bars/s', ...spread(rates, 0, true), target: { median: 3_000_000 } },
      // CPU time counts the GC's helper threads, wall time the neighbours' load.
      throughputPerCpuSecond: { unit: '1m bars/cpu-s', ...spread(cpuRates, 0, true) },
      dayChange: { unit: 'ms', ...spread(dayChanges, 1), days: dayChanges.length, target: { median: 5 } },
      // The process's CPU time (GC helper threads included): what the neighbours' load leaves alone.
      dayChangeCpu: { unit: 'ms', ...spread(dayChangesCpu, 1), days: dayChangesCpu.length },
      loadAverage: os.loadavg()[0],
    },
  );
  await layoutFloor(store, traded);
  await strategyRunFromStore(traded);
}

/**
 * What the data's layout allows: the run's 19 days walked as the engine walks them — minute by
 * minute, every symbol's bars from the columns the store hands out — and each bar checked,
 * marked to a position and aggregated into its 5m bucket, each finished bucket written to a 5m
 * column, in one plain loop: no session, no listener, no strategy, no result. The distance
 * between this and the run is the run's own code per bar (engine, broker, strategy), not the
 * memory the bars live in.
 */
async function layoutFloor(store: MemoryBarStore, traded: number): Promise<void> {
  const positions = symbols.map(() => ({ units: 0, qty: 1 }));
  const buckets = symbols.map(() => ({ start: Number.NaN, end: Number.NaN, o: 0, h: 0, l: 0, c: 0, v: 0 }));
  /** Each symbol's finished 5m bars of the day, six columns in one block as `BarColumns` keeps them. */
  const FIVES_A_DAY = 80;
  const fives = symbols.map(() => ({ length: 0, block: new Float64Array(6 * FIVES_A_DAY) }));
  const sessions = nyse.tradingDays(FROM, TO).map((date) => nyse.session(date)!);
  const rates: number[] = [];
  let marked = 0;
  for (let run = -1; run < RUNS; run++) {
    let bars = 0;
    let ms = 0;
    for (const { open, close } of sessions) {
      // Read before the clock starts, as a run's loader reads a day before it streams.
      const days = [...(await store.getManyBarColumns(symbols, '1m', open, close)).values()];
      const cursors = new Int32Array(days.length);
      for (const five of fives) five.length = 0;
      for (const bucket of buckets) bucket.start = bucket.end = Number.NaN;
      const started = performance.now();
      for (let now = open + MINUTE_MS; now <= close; now += MINUTE_MS) {
        for (let s = 0; s < days.length; s++) {
          const { t, o, h, l, c, v, length } = days[s]!;
          let i = cursors[s]!;
          for (; i < length && t[i]! <= now - MINUTE_MS; i++) {
            const ti = t[i]!;
            const oi = o[i]!;
            const hi = h[i]!;
            const li = l[i]!;
            const ci = c[i]!;
            const vi = v[i]!;
            if (!(li > 0 && hi >= oi && hi >= ci && li <= oi && li <= ci)) throw new Error(`bad bar ${symbols[s]} ${ti}`);
            const position = positions[s]!;
            const units = Math.round(ci * 10_000);
            marked += position.qty * (units - position.units);
            position.units = units;
            const bucket = buckets[s]!;
            if (ti >= bucket.start && ti < bucket.end) {
              if (hi > bucket.h) bucket.h = hi;
              if (li < bucket.l) bucket.l = li;
              bucket.c = ci;
              bucket.v += vi;
            } else {
              const five = fives[s]!;
              if (bucket.start === bucket.start) {
                const k = five.length++;
                five.block[k] = bucket.start;
                five.block[FIVES_A_DAY + k] = bucket.o;
                five.block[2 * FIVES_A_DAY + k] = bucket.h;
                five.block[3 * FIVES_A_DAY + k] = bucket.l;
                five.block[4 * FIVES_A_DAY + k] = bucket.c;
                five.block[5 * FIVES_A_DAY + k] = bucket.v;
              }
              bucket.start = ti - ((ti - open) % FIVE_MINUTES_MS);
              bucket.end = bucket.start + FIVE_MINUTES_MS;
              bucket.o = oi;
              bucket.h = hi;
              bucket.l = li;
              bucket.c = ci;
              bucket.v = vi;
            }
            bars++;
          }
          cursors[s] = i;
        }
      }
      ms += performance.now() - started;
    }
    if (bars !== traded) throw new Error(`the floor walked ${bars} bars, the run ${traded}`);
    if (run >= 0) rates.push(bars / (ms / 1000));
  }
  report(
    'strategy-run-floor',
    { symbols: SYMBOLS, from: FROM, to: TO, bars: traded, store: 'memory', measured: 'the streaming loop only: each bar checked, marked, aggregated to 5m', checksum: marked },
    { throughput: { unit: '1m bars/s', ...spread(rates, 0, true) } },
  );
}

async function strategyRunFromStore(traded: number): Promise<void> {
  requireBuilt(CLI);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-bench-strategy-'));
  try {
    const data = path.join(dir, 'data');
    const arrow = new ArrowBarStore(data);
    await writeDataset((batch) => arrow.putManyBars('1m', batch));
    const args = [CLI, 'backtest', '--strategy', EXAMPLE, '--from', FROM, '--to', TO, '--symbols', symbols.join(','), '--data', data, '--run-dir', path.join(dir, 'run'), '--out', path.join(dir, 'out'), '--json'];
    const walls: number[] = [];
    const cpus: number[] = [];
    // One run first, untimed: the OS file cache then holds the modules and the store.
    for (let i = -1; i < RUNS; i++) {
      const { wallMs, cpuMs, stdout } = await timeProcess(args);
      const days = JSON.parse(stdout).days as Array<{ bars: number }>;
      if (days.reduce((sum, d) => sum + d.bars, 0) !== traded) throw new Error('the CLI run streamed other bars than the in-memory run');
      if (i < 0) continue;
      walls.push(wallMs);
      if (cpuMs !== undefined) cpus.push(cpuMs);
    }
    report(
      'strategy-run-store',
      { strategy: 'examples/sma-cross.ts', symbols: SYMBOLS, from: FROM, to: TO, bars: traded, store: 'arrow', measured: 'spawn to exit, report written' },
      {
        throughput: { unit: '1m bars/s', ...spread(walls.map((ms) => traded / (ms / 1000)), 0, true), target: { median: 1_500_000 } },
        ...(cpus.length ? { throughputPerCpuSecond: { unit: '1m bars/cpu-s', ...spread(cpus.map((ms) => traded / (ms / 1000)), 0, true) } } : {}),
        wall: { unit: 'ms', ...spread(walls, 0) },
        cpu: cpus.length ? { unit: 'ms user+sys', ...spread(cpus, 0) } : { unit: 'ms', unavailable: 'GNU time not found' },
        loadAverage: os.loadavg()[0],
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) await strategyRun();
