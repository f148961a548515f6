import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { createSession, isSessionError, MemoryBarStore, silentLogger, type Bar, type BarColumnsView, type BarStore, type Interval, type Session, type StreamBar } from 'tapedeck';
import { dayBarsArb, fullDay } from '../support/day-data.js';
import { shortCalendar } from '../support/session-harness.js';

// A backtest session moved to its next day with `nextDay` must be, from the new open, the
// session created for that day with the same symbols: the same bars to listeners, the same
// data, the same pauses and symbol counters. Symbols still active keep their actors.

const MINUTES = 20;
const calendar = shortCalendar(MINUTES);
const DAYS = ['2024-03-07', '2024-03-08', '2024-03-11'];
const POOL = ['AAA', 'BBB', 'CCC', 'DDD'];
const STREAMS: Interval[] = ['1m', '5m'];

type Action = { at: number; kind: 'add' | 'remove'; symbol: string };

interface Scenario {
  /** Per day, per symbol: the stored bars (an empty day is NO_DATA). */
  stored: Bar[][][];
  configured: string[];
  /** What happens during the first day. */
  actions: Action[];
  /** The symbols each later day runs with. */
  later: string[][];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  stored: fc.tuple(
    ...DAYS.map((date) => fc.array(fc.oneof({ weight: 5, arbitrary: dayBarsArb(calendar.session(date)!) }, { weight: 1, arbitrary: fc.constant([] as Bar[]) }), { minLength: POOL.length, maxLength: POOL.length })),
  ),
  configured: fc.subarray(POOL, { minLength: 1 }),
  actions: fc.array(fc.record({ at: fc.nat(MINUTES - 1), kind: fc.constantFrom('add' as const, 'remove' as const), symbol: fc.constantFrom(...POOL) }), { maxLength: 4 }),
  later: fc.tuple(fc.shuffledSubarray(POOL), fc.shuffledSubarray(POOL)),
});

async function storeOf(stored: Bar[][][]): Promise<MemoryBarStore> {
  const store = new MemoryBarStore();
  for (const day of stored) for (const [i, bars] of day.entries()) if (bars.length > 0) await store.putBars(POOL[i]!, '1m', bars);
  return store;
}

function open(store: BarStore, date: string, symbols: string[]): Session {
  return createSession({ mode: 'backtest', date, symbols: symbols.map((symbol) => ({ symbol, streams: STREAMS })), store, calendar, speed: 'manual', logger: silentLogger });
}

/** Runs the day minute by minute, making `actions` at their minutes. */
async function runDay(session: Session, actions: Action[]): Promise<void> {
  for (let minute = 0; session.state !== 'closed'; minute++) {
    for (const action of actions.filter((a) => a.at === minute)) {
      try {
        const request = action.kind === 'add' ? session.addSymbol(action.symbol, { streams: STREAMS }) : session.removeSymbol(action.symbol);
        request.catch(() => undefined);
      } catch (error) {
        if (!isSessionError(error)) throw error;
      }
    }
    await session.advance(1);
  }
  await session.done;
}

/** What a day of a session is, without wall-clock fields. */
function dayOf(session: Session, bars: StreamBar[]) {
  const summary = session.summary();
  return {
    bars,
    data: Object.fromEntries(session.data.getActiveSymbols().map((symbol) => [symbol, session.data.getSymbolData(symbol)])),
    pauses: summary.pauses.map(({ reason, simTime, symbols }) => ({ reason, simTime, symbols })),
    symbols: summary.symbols.map(({ addedAt, ...info }) => ({ ...info, addedAt: addedAt.sim })),
    added: summary.added,
    removed: summary.removed,
  };
}

/** The symbols still in at the close, as a run carries them. */
function stillIn(session: Session): string[] {
  return session.listSymbols().filter((s) => s.status === 'active').map((s) => s.symbol);
}

testProp('a session moved to the next day is the session created for that day', [scenarioArb], async (t, scenario) => {
  const store = await storeOf(scenario.stored);
  const moved = open(store, DAYS[0]!, scenario.configured);
  let bars: StreamBar[] = [];
  moved.onBar((bar) => bars.push(bar));
  await moved.start();
  await runDay(moved, scenario.actions);
  for (const [k, date] of DAYS.slice(1).entries()) {
    const symbols = k === 0 ? [...stillIn(moved), ...scenario.later[0]!.filter((s) => !stillIn(moved).includes(s))] : scenario.later[1]!;
    bars = [];
    await moved.nextDay(date, symbols.map((symbol) => ({ symbol, streams: STREAMS })));
    await runDay(moved, []);
    const movedDay = dayOf(moved, bars);

    const fresh = open(store, date, symbols);
    const freshBars: StreamBar[] = [];
    fresh.onBar((bar) => freshBars.push(bar));
    await fresh.start();
    await runDay(fresh, []);
    t.deepEqual(movedDay, dayOf(fresh, freshBars), date);
  }
}, { numRuns: 25 });

test('symbols active at the close keep their actors; a failed one comes back with a new actor', async (t) => {
  const store = new MemoryBarStore();
  for (const date of DAYS) for (const symbol of ['AAA', 'BBB']) await store.putBars(symbol, '1m', fullDay(calendar.session(date)!, symbol === 'AAA' ? 100 : 200));
  const session = open(store, DAYS[0]!, ['AAA', 'CCC']);
  await session.start();
  const refOf = (symbol: string) => session.actor.getSnapshot().context.symbols[symbol]?.ref;
  t.is(session.listSymbols().find((s) => s.symbol === 'CCC')?.status, 'failed', 'CCC has no bars on the first day');
  const added = session.addSymbol('BBB', { streams: STREAMS });
  await session.advance(1);
  await added;
  await runDay(session, []);
  const [aaa, bbb, ccc] = [refOf('AAA'), refOf('BBB'), refOf('CCC')];

  await session.nextDay(DAYS[1]!, ['AAA', 'BBB', 'CCC'].map((symbol) => ({ symbol, streams: STREAMS })));
  t.is(refOf('AAA'), aaa);
  t.is(refOf('BBB'), bbb, 'an added symbol carries over with its actor');
  t.not(refOf('CCC'), ccc);
  t.deepEqual(session.listSymbols().map((s) => [s.symbol, s.origin, s.status]), [
    ['AAA', 'configured', 'active'],
    ['BBB', 'configured', 'active'],
    ['CCC', 'configured', 'failed'],
  ]);
  t.is(session.data.getBarCount('AAA'), 0, 'the new day starts empty at its open');
  await runDay(session, []);
  t.is(session.data.getBarCount('BBB'), MINUTES);
  t.is(session.data.getLatestBar('AAA')?.t, calendar.session(DAYS[1]!)!.close - 60_000);
  t.deepEqual(session.tradingSession.date, DAYS[1]);
});

test('a carried symbol with no bars on the new day fails with NO_DATA; the others stream', async (t) => {
  const store = new MemoryBarStore();
  await store.putBars('AAA', '1m', fullDay(calendar.session(DAYS[0]!)!));
  await store.putBars('AAA', '1m', fullDay(calendar.session(DAYS[2]!)!));
  for (const date of DAYS) await store.putBars('BBB', '1m', fullDay(calendar.session(date)!, 200));
  const session = open(store, DAYS[0]!, ['AAA', 'BBB']);
  await session.start();
  await runDay(session, []);
  await session.nextDay(DAYS[1]!, ['AAA', 'BBB']);
  const aaa = session.listSymbols().find((s) => s.symbol === 'AAA');
  t.is(aaa?.status, 'failed');
  t.is(aaa?.error?.code, 'NO_DATA');
  await runDay(session, []);
  t.is(session.data.getBarCount('BBB'), MINUTES);
  await session.nextDay(DAYS[2]!, ['AAA', 'BBB']);
  await runDay(session, []);
  t.is(session.data.getBarCount('AAA'), MINUTES, 'AAA is back the day it has bars');
});

test('the carried symbols of a new day are read in one batch', async (t) => {
  const inner = new MemoryBarStore();
  const symbols = Array.from({ length: 50 }, (_, i) => `S${String(i).padStart(2, '0')}`);
  for (const date of DAYS.slice(0, 2)) for (const symbol of symbols) await inner.putBars(symbol, '1m', fullDay(calendar.session(date)!));
  const batches: string[][] = [];
  const single: string[] = [];
  const store: BarStore = {
    getBars: (...args) => inner.getBars(...args),
    putBars: (...args) => inner.putBars(...args),
    getBarColumns: (symbol, ...rest) => {
      single.push(symbol);
      return inner.getBarColumns(symbol, ...rest);
    },
    async getManyBarColumns(many, interval, startMs, endMs) {
      batches.push([...many]);
      const out = new Map<string, BarColumnsView>();
      for (const symbol of many) out.set(symbol, await inner.getBarColumns(symbol, interval, startMs, endMs));
      return out;
    },
  };
  const session = open(store, DAYS[0]!, symbols);
  await session.start();
  await runDay(session, []);
  batches.length = 0;
  await session.nextDay(DAYS[1]!, symbols.map((symbol) => ({ symbol, streams: STREAMS })));
  t.deepEqual(batches, [symbols]);
  t.deepEqual(single, []);
});

test('nextDay refuses a session not closed and a day not after the current one', async (t) => {
  const store = new MemoryBarStore();
  await store.putBars('AAA', '1m', fullDay(calendar.session(DAYS[0]!)!));
  const session = open(store, DAYS[0]!, ['AAA']);
  await session.start();
  const early = await t.throwsAsync(session.nextDay(DAYS[1]!, ['AAA']));
  t.true(isSessionError(early, 'NOT_CLOSED'));
  await runDay(session, []);
  for (const date of [DAYS[0]!, '2024-03-09', '2024-03-06']) {
    const error = await t.throwsAsync(session.nextDay(date, ['AAA']));
    t.true(isSessionError(error, 'NOT_A_TRADING_DAY'), date);
  }
  t.is(session.state, 'closed', 'a refused nextDay leaves the session as it was');
});
