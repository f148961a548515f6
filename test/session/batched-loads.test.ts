import test from 'ava';
import { MemoryBarStore, SessionError, type Bar, type BarColumnsView, type BarStore, type Interval } from 'tapedeck';
import { fullDay } from '../support/day-data.js';
import { DATE, harness, shortCalendar, type Harness } from '../support/session-harness.js';

/**
 * A store with a batch read that counts its reads. A symbol in `corrupt` stands for bars in a
 * damaged file: any read that includes it throws, as the Arrow store does for a corrupt segment.
 */
class CountingStore implements BarStore {
  readonly inner = new MemoryBarStore();
  readonly corrupt = new Set<string>();
  batchReads: Array<readonly string[]> = [];
  singleReads: string[] = [];

  getBars(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<Bar[]> {
    return this.inner.getBars(symbol, interval, startMs, endMs);
  }

  putBars(symbol: string, interval: Interval, bars: Bar[]): Promise<void> {
    return this.inner.putBars(symbol, interval, bars);
  }

  async getBarColumns(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<BarColumnsView> {
    this.singleReads.push(symbol);
    this.#check([symbol]);
    return this.inner.getBarColumns(symbol, interval, startMs, endMs);
  }

  async getManyBarColumns(symbols: readonly string[], interval: Interval, startMs: number, endMs: number): Promise<ReadonlyMap<string, BarColumnsView>> {
    this.batchReads.push([...symbols]);
    this.#check(symbols);
    const out = new Map<string, BarColumnsView>();
    for (const symbol of symbols) out.set(symbol, await this.inner.getBarColumns(symbol, interval, startMs, endMs));
    return out;
  }

  #check(symbols: readonly string[]): void {
    const bad = symbols.find((symbol) => this.corrupt.has(symbol));
    if (bad) throw new SessionError('CORRUPT_FILE', `The file holding ${bad} is damaged.`, { symbol: bad });
  }
}

async function storeWith(symbols: string[]): Promise<CountingStore> {
  const store = new CountingStore();
  const day = shortCalendar().session(DATE)!;
  for (const [i, symbol] of symbols.entries()) await store.putBars(symbol, '1m', fullDay(day, 100 + (i % 50)));
  return store;
}

test("many symbols start with a handful of session events, not some per symbol, and each symbol's statuses are still told in order", async (t) => {
  const symbols = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(3, '0')}`);
  const store = await storeWith(symbols);
  let sessionEvents = 0;
  const h: { session?: Harness['session'] } = {};
  h.session = harness({
    store,
    symbols: symbols.map((symbol) => ({ symbol, streams: ['1m', '5m'] })),
    inspect: (event) => {
      if (event.type === '@xstate.event' && h.session && event.actorRef === h.session.actor) sessionEvents++;
    },
  }).session;
  const statuses = new Map<string, string[]>();
  h.session.on('symbol', ({ symbol, status }) => statuses.set(symbol, [...(statuses.get(symbol) ?? []), status]));
  await h.session.start();
  t.true(sessionEvents <= 10, `${sessionEvents} session events to start ${symbols.length} symbols`);
  t.deepEqual([...statuses.keys()].sort(), symbols);
  for (const [symbol, told] of statuses) t.deepEqual(told, ['queued', 'loading', 'catchingUp', 'active'], symbol);
  t.deepEqual(h.session.listSymbols().filter((s) => s.status !== 'active'), []);
});

test('500 configured symbols are loaded with a handful of batch reads, none one by one', async (t) => {
  const symbols = Array.from({ length: 500 }, (_, i) => `S${String(i).padStart(3, '0')}`);
  const store = await storeWith(symbols);
  const { session } = harness({ store, symbols: symbols.map((symbol) => ({ symbol, streams: ['1m', '5m'] })) });
  await session.start();
  t.true(store.batchReads.length >= 1 && store.batchReads.length <= 3, `${store.batchReads.length} batch reads`);
  t.deepEqual(store.singleReads, []);
  t.deepEqual(store.batchReads.flat().sort(), symbols);
  t.is(session.data.getActiveSymbols().length, 500);
  await session.advance(5);
  t.is(session.data.getBarCount('S499', '1m'), 5);
});

test('a batch read that fails on one symbol fails only that symbol, with the reason of its own read', async (t) => {
  const store = await storeWith(['AAPL', 'BAD', 'MSFT']);
  store.corrupt.add('BAD');
  const { session } = harness({ store, symbols: ['AAPL', 'BAD', 'MSFT', 'NONE'] });
  await session.start();
  // One read of the day for all four fails; then each is read alone, and NONE, without 1m
  // bars, is looked for at 5m, 15m, 30m and 1h to say what is there.
  t.deepEqual(store.batchReads, [['AAPL', 'BAD', 'MSFT', 'NONE']]);
  t.deepEqual(store.singleReads, ['AAPL', 'BAD', 'MSFT', 'NONE', 'NONE', 'NONE', 'NONE', 'NONE']);
  t.deepEqual([...session.data.getActiveSymbols()].sort(), ['AAPL', 'MSFT']);
  const bySymbol = new Map(session.listSymbols().map((info) => [info.symbol, info]));
  t.is(bySymbol.get('BAD')!.status, 'failed');
  t.is(bySymbol.get('BAD')!.error?.code, 'LOAD_FAILED');
  t.regex(bySymbol.get('BAD')!.error?.message ?? '', /BAD.*damaged/);
  t.is(bySymbol.get('NONE')!.error?.code, 'NO_DATA');
  t.is(bySymbol.get('AAPL')!.status, 'active');
  t.is(bySymbol.get('MSFT')!.status, 'active');
});

test('a store whose reads throw before returning a promise fails only the symbol concerned', async (t) => {
  const store = await storeWith(['AAPL', 'BAD', 'MSFT']);
  store.corrupt.add('BAD');
  const check = (symbols: readonly string[]) => {
    if (symbols.includes('BAD')) throw new SessionError('CORRUPT_FILE', 'The file holding BAD is damaged.');
  };
  const inner = { many: store.getManyBarColumns.bind(store), one: store.getBarColumns.bind(store) };
  // Not async: the throw happens in the call itself.
  store.getManyBarColumns = (symbols, ...window) => (check(symbols), inner.many(symbols, ...window));
  store.getBarColumns = (symbol, ...window) => (check([symbol]), inner.one(symbol, ...window));
  const { session } = harness({ store, symbols: ['AAPL', 'BAD', 'MSFT'] });
  await session.start();
  const bySymbol = new Map(session.listSymbols().map((info) => [info.symbol, info]));
  t.is(bySymbol.get('BAD')!.error?.code, 'LOAD_FAILED');
  t.deepEqual([...session.data.getActiveSymbols()].sort(), ['AAPL', 'MSFT']);
});

test('the adds of one step are read in one batch; a failing one fails alone', async (t) => {
  const store = await storeWith(['AAPL', 'TSLA', 'NVDA', 'BAD']);
  store.corrupt.add('BAD');
  const { session } = harness({ store });
  await session.start();
  await session.advance(10);
  const before = store.batchReads.length;
  const adds = ['TSLA', 'BAD', 'NVDA'].map((symbol) => session.addSymbol(symbol).then(
    () => 'active',
    (error: unknown) => (error as SessionError).code,
  ));
  await session.advance(1);
  t.deepEqual(await Promise.all(adds), ['active', 'LOAD_FAILED', 'active']);
  t.deepEqual(store.batchReads.slice(before), [['TSLA', 'BAD', 'NVDA']]);
  t.is(session.data.getBarCount('NVDA', '1m'), 11);
});

test('a batch answer that is not bars fails only its symbol; a symbol the batch has no 1m bars for is read alone', async (t) => {
  const store = await storeWith(['AAPL', 'MSFT']);
  const day = shortCalendar().session(DATE)!;
  await store.putBars('FIVE', '5m', fullDay(day, 100).filter((bar) => bar.t % 300_000 === 0));
  const many = store.getManyBarColumns.bind(store);
  store.getManyBarColumns = async (symbols, ...window) => {
    const answer = new Map(await many(symbols, ...window));
    answer.set('MSFT', 'garbage' as unknown as BarColumnsView);
    return answer;
  };
  const { session } = harness({ store, symbols: [{ symbol: 'AAPL', streams: ['1m'] }, { symbol: 'MSFT', streams: ['1m'] }, { symbol: 'FIVE', streams: ['5m'] }] });
  await session.start();
  const bySymbol = new Map(session.listSymbols().map((info) => [info.symbol, info]));
  t.is(bySymbol.get('AAPL')!.status, 'active');
  t.is(bySymbol.get('MSFT')!.error?.code, 'LOAD_FAILED');
  t.regex(bySymbol.get('MSFT')!.error?.message ?? '', /answered a string instead of a list of bars for MSFT/);
  t.is(bySymbol.get('FIVE')!.status, 'active');
  t.deepEqual(store.singleReads, ['FIVE', 'FIVE']);
});
