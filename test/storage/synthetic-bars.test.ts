import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { MINUTE_MS, type Bar } from '../../model/bar.js';
import { isSessionError } from '../../model/session-error.js';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { generateDataset, generateDayBars } from '../../storage/synthetic/synthetic-bars.js';
import { fixedCalendar } from '../support/fixed-calendar.js';

const calendar = fixedCalendar();
const session = calendar.session('2024-03-08')!;
const symbolArb = fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,6}$/).filter((s) => !s.includes('..'));
const dateArb = fc.integer({ min: 0, max: 3000 }).map((d) => new Date(Date.UTC(2015, 0, 5) + d * 86_400_000).toISOString().slice(0, 10)).filter((d) => calendar.isTradingDay(d));

test('the same symbol, day and seed give the same bars; any of them changed gives others', (t) => {
  const bars = generateDayBars('AAPL', session, { seed: 7 });
  t.deepEqual(generateDayBars('AAPL', session, { seed: 7 }), bars);
  t.true(bars.length > 300);
  const closes = (b: Bar[]) => b.map((bar) => bar.c).join();
  t.not(closes(generateDayBars('AAPL', session, { seed: 8 })), closes(bars));
  t.not(closes(generateDayBars('AAPM', session, { seed: 7 })), closes(bars));
  t.not(closes(generateDayBars('AAPL', calendar.session('2024-03-11')!, { seed: 7 })), closes(bars));
});

test('price levels depend on the symbol', (t) => {
  const opens = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'BRK.B', 'SPY'].map((symbol) => generateDayBars(symbol, session)[0]!.o);
  t.true(new Set(opens.map((o) => Math.round(Math.log10(o) * 4))).size > 2, `opens ${opens.join(', ')} should span several price levels`);
});

testProp(
  'bars are consistent OHLC in cents, one a minute, within the hours asked for',
  [symbolArb, dateArb, fc.integer(), fc.boolean()],
  (t, symbol, date, seed, extendedHours) => {
    const day = calendar.session(date)!;
    const bars = generateDayBars(symbol, day, { seed, extendedHours });
    const [start, end] = extendedHours ? [day.extendedOpen, day.extendedClose] : [day.open, day.close];
    t.true(bars.length > 0);
    bars.forEach((b, i) => {
      t.true(b.t >= start && b.t < end && b.t % MINUTE_MS === 0, `t ${b.t} in [${start}, ${end})`);
      if (i > 0) t.true(b.t > bars[i - 1]!.t);
      t.true(b.l > 0 && b.l <= Math.min(b.o, b.c) && Math.max(b.o, b.c) <= b.h, `OHLC ${JSON.stringify(b)}`);
      for (const price of [b.o, b.h, b.l, b.c]) t.is(Math.round(price * 100) / 100, price);
      t.true(Number.isInteger(b.v) && b.v > 0);
    });
    if (extendedHours) t.true(bars.some((b) => b.t < day.open) && bars.some((b) => b.t >= day.close));
  },
  { numRuns: 40 },
);

testProp(
  'missing minutes follow missingRate, and removing them leaves the rest of the day unchanged',
  [symbolArb, fc.integer(), fc.double({ min: 0, max: 0.6, noNaN: true })],
  (t, symbol, seed, missingRate) => {
    const full = generateDayBars(symbol, session, { seed, extendedHours: true, missingRate: 0 });
    const minutes = (session.extendedClose - session.extendedOpen) / MINUTE_MS;
    t.is(full.length, minutes);
    const thinned = generateDayBars(symbol, session, { seed, extendedHours: true, missingRate });
    const missing = minutes - thinned.length;
    // Binomial: five standard deviations either side (plus one, for tiny rates) never fails by chance in practice.
    const slack = 5 * Math.sqrt(minutes * missingRate * (1 - missingRate)) + 1;
    t.true(Math.abs(missing - minutes * missingRate) <= slack, `${missing} of ${minutes} missing at rate ${missingRate}`);
    const byT = new Map(full.map((b) => [b.t, b]));
    t.true(thinned.every((b) => JSON.stringify(byT.get(b.t)) === JSON.stringify(b)));
  },
  { numRuns: 30 },
);

test('by default about 1% of minutes are missing, and none with missingRate 0', (t) => {
  const days = calendar.tradingDays('2024-01-01', '2024-03-31');
  const minutes = days.length * 390;
  const bars = days.reduce((n, date) => n + generateDayBars('MSFT', calendar.session(date)!).length, 0);
  t.true(minutes - bars > minutes * 0.005 && minutes - bars < minutes * 0.015, `${minutes - bars} of ${minutes} missing`);
  t.is(generateDayBars('MSFT', session, { missingRate: 0 }).length, 390);
  t.is(generateDayBars('MSFT', session, { missingRate: 1 }).length, 0);
});

testProp(
  'volume is U-shaped: the first and last half hours trade more than midday',
  [symbolArb, fc.integer()],
  (t, symbol, seed) => {
    const bars = generateDayBars(symbol, session, { seed, missingRate: 0 });
    const mean = (from: number, to: number) => bars.slice(from, to).reduce((sum, b) => sum + b.v, 0) / (to - from);
    const [first, middle, last] = [mean(0, 30), mean(180, 210), mean(360, 390)];
    // The curve makes the ends ~3x midday; per-minute noise lets a 30-minute mean drift (1.76x at
    // worst over 20,000 seeds), so 1.5x is the line a flat curve would never cross.
    t.true(first > 1.5 * middle && last > 1.5 * middle, `first ${first}, middle ${middle}, last ${last}`);
  },
  { numRuns: 20 },
);

test('bad options are refused', (t) => {
  for (const missingRate of [-0.1, 1.5, Number.NaN]) {
    const error = t.throws(() => generateDayBars('AAPL', session, { missingRate }));
    t.true(isSessionError(error, 'INVALID_OPTION'));
  }
  t.true(isSessionError(t.throws(() => generateDayBars('../x', session)), 'INVALID_SYMBOL'));
});

test('generateDataset writes every symbol-day that generateDayBars makes, and reports progress', async (t) => {
  const store = new MemoryBarStore();
  const progress: Array<[number, number]> = [];
  // Two months, so the per-month batches meet at a boundary.
  const result = await generateDataset({ store, calendar, symbols: ['AAPL', 'BRK.B', 'AAPL'], from: '2024-02-26', to: '2024-03-05', seed: 3, onProgress: (done, total) => progress.push([done, total]) });
  const days = calendar.tradingDays('2024-02-26', '2024-03-05');
  t.is(result.days, days.length);
  let expectedBars = 0;
  for (const symbol of ['AAPL', 'BRK.B']) {
    const expected = days.flatMap((date) => generateDayBars(symbol, calendar.session(date)!, { seed: 3 }));
    expectedBars += expected.length;
    t.deepEqual(await store.getBars(symbol, '1m', 0, Date.UTC(2030, 0, 1)), expected);
  }
  t.is(result.bars, expectedBars);
  // A month at a time, a symbol at a time: 4 February days, then 3 March days.
  t.deepEqual(progress, [[4, 14], [8, 14], [11, 14], [14, 14]]);
});

test('generateDataset writes many symbols of a month in one call to a store that has putManyBars', async (t) => {
  const writes: Array<{ interval: string; symbols: string[]; bars: number }> = [];
  const store = Object.assign(new MemoryBarStore(), {
    async putManyBars(interval: '1m', bars: ReadonlyMap<string, Bar[]>) {
      writes.push({ interval, symbols: [...bars.keys()], bars: [...bars.values()].reduce((sum, batch) => sum + batch.length, 0) });
      for (const [symbol, batch] of bars) await store.putBars(symbol, interval, batch);
    },
  });
  const symbols = Array.from({ length: 60 }, (_, i) => `S${i}`);
  const progress: number[] = [];
  const result = await generateDataset({ store, calendar, symbols, from: '2024-02-28', to: '2024-03-01', seed: 3, onProgress: (done) => progress.push(done) });
  // February (2 days) then March (1 day), each as 50 symbols, then 10.
  t.deepEqual(writes.map((w) => [w.interval, w.symbols.length]), [['1m', 50], ['1m', 10], ['1m', 50], ['1m', 10]]);
  t.deepEqual(writes[1]!.symbols, symbols.slice(50));
  t.is(writes.reduce((sum, w) => sum + w.bars, 0), result.bars);
  t.deepEqual(progress, [100, 120, 170, 180]);
  t.deepEqual(await store.getBars('S59', '1m', 0, Date.UTC(2030, 0, 1)), calendar.tradingDays('2024-02-28', '2024-03-01').flatMap((date) => generateDayBars('S59', calendar.session(date)!, { seed: 3 })));
});

test('generateDataset refuses bad symbols, dates and ranges before writing', async (t) => {
  const store = new MemoryBarStore();
  const run = (over: Partial<Parameters<typeof generateDataset>[0]>) => generateDataset({ store, calendar, symbols: ['AAPL'], from: '2024-03-01', to: '2024-03-08', ...over });
  t.true(isSessionError(await t.throwsAsync(run({ symbols: ['AAPL', 'a/b'] })), 'INVALID_SYMBOL'));
  t.true(isSessionError(await t.throwsAsync(run({ from: '2024-3-1' })), 'INVALID_DATE'));
  t.true(isSessionError(await t.throwsAsync(run({ from: '2024-03-09', to: '2024-03-08' })), 'INVALID_OPTION'));
  t.deepEqual(await store.symbols(), []);
});
