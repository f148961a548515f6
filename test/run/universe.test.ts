import test from 'ava';
import { isBrokerError } from '../../broker/broker-error.js';
import { nyse } from '../../calendar/nyse.js';
import { runBacktest } from '../../run/run-backtest.js';
import { RunUniverse } from '../../run/run-universe.js';
import { defineStrategy } from '../../run/strategy.js';
import { syntheticStore } from './run-fixture.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const MINUTE_MS = 60_000;
const FROM = '2024-03-04';
const TO = '2024-03-06';

test('a symbol added mid-day stays for the following days, configured from their open', async (t) => {
  const store = await syntheticStore(['AAA', 'NEW'], FROM, TO, { missingRate: 0 });
  const strategy = defineStrategy({
    name: 'adds',
    symbols: ['AAA'],
    init: () => [] as string[],
    onBar(ctx, bar) {
      if (ctx.day.index === 0 && bar.symbol === 'AAA' && bar.t === ctx.day.open + 100 * MINUTE_MS) void ctx.session.addSymbol('NEW');
    },
    onDayEnd(ctx) {
      ctx.state.push(`${ctx.day.date} ${ctx.session.data.getBarCount('NEW')}`);
    },
    result: (ctx) => ctx.state,
  });
  const result = await runBacktest({ strategy, from: FROM, to: TO, store, cash: 10_000, logger: silent });
  t.deepEqual(result.days.map((d) => d.symbols), [['AAA', 'NEW'], ['AAA', 'NEW'], ['AAA', 'NEW']]);
  t.deepEqual(result.days.map((d) => d.added), [['NEW'], [], []]);
  // Day 1: NEW caught up to the whole day; days 2 and 3 start with it, with no catch-up pause.
  t.deepEqual(result.extra, ['2024-03-04 390', '2024-03-05 390', '2024-03-06 390']);
  t.deepEqual(result.days.map((d) => d.pauses.map((p) => p.reason)), [['start', 'add'], ['start'], ['start']]);
  t.deepEqual(result.days.map((d) => d.bars), [390 + 289, 780, 780]);
});

test('removing a symbol with an open position is refused with POSITION_OPEN; flatten closes it at the last close and it is gone the next day', async (t) => {
  const store = await syntheticStore(['AAA', 'BBB'], FROM, TO, { missingRate: 0 });
  const codes: string[] = [];
  const strategy = defineStrategy({
    name: 'removes',
    symbols: ['AAA', 'BBB'],
    onBar(ctx, bar) {
      if (bar.symbol !== 'BBB' || ctx.day.index !== 0) return;
      const minute = (bar.t - ctx.day.open) / MINUTE_MS;
      if (minute === 10) ctx.broker.buy('BBB', 7);
      if (minute === 20) {
        try {
          void ctx.session.removeSymbol('BBB');
        } catch (error) {
          codes.push(isBrokerError(error) ? error.code : String(error));
        }
        void ctx.session.removeSymbol('BBB', { flatten: true });
      }
    },
  });
  const result = await runBacktest({ strategy, from: FROM, to: TO, store, cash: 10_000, logger: silent });
  t.deepEqual(codes, ['POSITION_OPEN']);
  const open = nyse.session(FROM)!.open;
  t.deepEqual(result.fills.map((f) => [f.side, f.qty, f.t, f.reason]), [
    ['buy', 7, open + 11 * MINUTE_MS, undefined],
    ['sell', 7, open + 20 * MINUTE_MS, 'flatten'],
  ]);
  const [flattenedOn] = await store.getBars('BBB', '1m', open + 20 * MINUTE_MS, open + 21 * MINUTE_MS);
  t.is(result.fills[1]!.price, flattenedOn!.c);
  t.deepEqual(result.days.map((d) => d.symbols), [['AAA'], ['AAA'], ['AAA']]);
  t.deepEqual(result.days.map((d) => d.removed), [['BBB'], [], []]);
  t.deepEqual(result.days.slice(1).map((d) => d.bars), [390, 390]);
});

test('warm-up days are history only: ctx.history reaches back warmup.days trading days; they are never traded or streamed', async (t) => {
  const warmup = nyse.tradingDays('2024-02-28', '2024-03-01');
  const store = await syntheticStore(['AAA'], warmup[0]!, TO, { missingRate: 0 });
  const seen: string[] = [];
  const strategy = defineStrategy({
    name: 'warm',
    symbols: ['AAA'],
    streams: ['1m', '5m'],
    warmup: { days: 3 },
    onDayStart(ctx) {
      const minutes = ctx.history('AAA', '1m', 10_000);
      const fives = ctx.history('AAA', '5m', 2);
      seen.push(`${ctx.day.date}: ${minutes.length} from ${nyse.dateOf(minutes[0]!.t)} to ${nyse.dateOf(minutes.at(-1)!.t)}, ${fives.length} 5m`);
    },
    onBar(ctx, bar) {
      if (bar.t < ctx.day.open) seen.push(`traded a warm-up bar ${bar.t}`);
      if ((bar.t - ctx.day.open) / MINUTE_MS === 5) ctx.broker.buy('AAA', 1);
    },
  });
  const result = await runBacktest({ strategy, from: FROM, to: TO, store, cash: 10_000, logger: silent });
  t.deepEqual(result.config.warmupDays, warmup);
  t.deepEqual(seen, [
    // Three days back: the warm-up days, then the run's own latest days.
    '2024-03-04: 1170 from 2024-02-28 to 2024-03-01, 2 5m',
    '2024-03-05: 1170 from 2024-02-29 to 2024-03-04, 2 5m',
    '2024-03-06: 1170 from 2024-03-01 to 2024-03-05, 2 5m',
  ]);
  t.true(result.fills.every((f) => f.t >= nyse.session(FROM)!.open));
  t.deepEqual(result.days.map((d) => d.date), nyse.tradingDays(FROM, TO));
  t.is(result.equity.minutes[0]!.t, nyse.session(FROM)!.open + MINUTE_MS);
});

test('the universe says whose bars of which interval the strategy receives, as symbols come, change streams and go', (t) => {
  const universe = new RunUniverse(['AAA'], ['5m']);
  t.true(universe.delivers('AAA', '5m'));
  t.false(universe.delivers('AAA', '1m'), '1m is streamed for the broker, not delivered');
  t.false(universe.delivers('BBB', '5m'));
  const first = universe.add('BBB', ['1m']);
  universe.add('BBB', ['1m', '15m']);
  universe.drop('BBB', first); // a failed earlier add: BBB's newer entry stays
  t.true(universe.delivers('BBB', '1m'));
  t.true(universe.delivers('BBB', '15m'));
  universe.drop('BBB');
  t.false(universe.delivers('BBB', '1m'));
  t.true(universe.delivers('AAA', '5m'));
  universe.drop('AAA');
  t.false(universe.delivers('AAA', '5m'));
});

test('a dropped symbol stops receiving an interval the others still receive; added again, it receives its new intervals only', (t) => {
  const universe = new RunUniverse(['AAA', 'BBB'], ['5m']);
  universe.drop('AAA');
  t.false(universe.delivers('AAA', '5m'));
  t.true(universe.delivers('BBB', '5m'));
  universe.add('AAA', ['15m']);
  universe.add('BBB', ['1m', '1h']);
  t.false(universe.delivers('AAA', '5m'));
  t.true(universe.delivers('AAA', '15m'));
  t.false(universe.delivers('BBB', '5m'));
  t.false(universe.delivers('BBB', '15m'));
  t.true(universe.delivers('BBB', '1m'));
  t.true(universe.delivers('BBB', '1h'));
});

test('a universe restored from its snapshot delivers what it did', (t) => {
  const universe = new RunUniverse(['AAA'], ['5m']);
  universe.add('BBB', ['1m', '15m']);
  const restored = RunUniverse.restore(universe.snapshot());
  for (const symbol of ['AAA', 'BBB', 'CCC']) {
    for (const interval of ['1m', '5m', '15m'] as const) t.is(restored.delivers(symbol, interval), universe.delivers(symbol, interval), `${symbol} ${interval}`);
  }
  restored.drop('BBB');
  t.false(restored.delivers('BBB', '15m'));
  t.true(restored.delivers('AAA', '5m'));
});

test('ctx.history is the stored bars of the days before, every day of a run longer than its window (columns handed back and filled again)', async (t) => {
  const [from, to] = ['2024-03-04', '2024-03-15'];
  const warmup = nyse.tradingDays('2024-02-29', '2024-03-01');
  const store = await syntheticStore(['AAA', 'BBB'], warmup[0]!, to, { seed: 3, missingRate: 0.05 });
  const days = [...warmup, ...nyse.tradingDays(from, to)];
  const stored = new Map<string, unknown[]>();
  for (const date of days) {
    const { open, close } = nyse.session(date)!;
    for (const symbol of ['AAA', 'BBB']) stored.set(`${symbol} ${date}`, await store.getBars(symbol, '1m', open, close));
  }
  const checked: string[] = [];
  const strategy = defineStrategy({
    name: 'reads-history',
    symbols: ['AAA', 'BBB'],
    streams: ['1m', '5m'],
    warmup: { days: 2 },
    onDayStart(ctx) {
      const before = days.slice(days.indexOf(ctx.day.date) - 2, days.indexOf(ctx.day.date));
      for (const symbol of ['AAA', 'BBB']) {
        const history = ctx.history(symbol, '1m', 10_000);
        const expected = before.flatMap((date) => stored.get(`${symbol} ${date}`)!);
        if (JSON.stringify(history) !== JSON.stringify(expected)) checked.push(`${ctx.day.date} ${symbol}: history differs from the store`);
        else checked.push(`${ctx.day.date} ${symbol}: ${history.length}`);
      }
    },
  });
  await runBacktest({ strategy, from, to, store, cash: 10_000, logger: silent });
  t.is(checked.length, 20);
  t.true(checked.every((line) => !line.includes('differs')), checked.join('\n'));
});
