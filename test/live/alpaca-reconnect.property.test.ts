import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { createSession, MemoryBarStore, silentLogger, type Bar } from 'tapedeck';
import { MINUTE_MS } from '../../model/bar.js';
import type { LiveClock } from '../../data-plane/live-clock.js';
import { AlpacaFeed } from '../../feeds/alpaca/alpaca-feed.js';
import type { FeedBar, FeedSink, LiveFeed } from '../../model/live-feed.js';
import { FakeAlpacaServer } from '../support/fake-alpaca-server.js';
import { backtestSeries, calendar, dayOf, today } from '../support/live-fixture.js';

// Promise 7 for the live feed: whenever the connection drops and however long it stays down,
// the day's record ends up as the feed's, updates and duplicates included. The clock is moved by
// hand and the fake service publishes a minute only when told, so every interleaving below is
// one the test chose, whatever the machine's speed.

const KEY = 'PKTESTKEY0000000';
const SECRET = 'sEcReT-reconnect-0123456789';
const SYMBOLS = ['AAPL', 'MSFT'];
/** In the feed's record from the open, added to the session mid-day when a scenario says so. */
const ADDED = 'NVDA';
const MINUTES = (today.close - today.open) / MINUTE_MS;

interface Drop {
  /** The step (the minute that closes) during which the connection drops. */
  at: number;
  /** Dropped before the minute's bars go out, while they are on the wire, or after they arrived. */
  phase: 'beforeSend' | 'inFlight' | 'afterDelivery';
  /** Minutes the network stays down: connecting fails until the clock has moved this far. */
  downMinutes: number;
  /** Connections refused with 406 once the network is back. */
  refusals: number;
  /** A minute closes after the service sent `authenticated` but before it acted on the subscription. */
  minuteCloseWhileSubscribing: boolean;
  /** Minutes that close while the gap fill's history request is unanswered: their bars come on the stream meanwhile. */
  minutesDuringFill: number;
}

interface Scenario {
  startMinute: number;
  drops: Drop[];
  /** After step `at`, the bar `back` minutes before the one that just closed is updated (`T: "u"`). */
  updates: Array<{ at: number; back: number }>;
  /** Steps whose bars are delivered twice, as first sent. */
  duplicates: number[];
  /** ADDED is added to the session at this step, while connected; a minute may close before the service acts on its subscription. */
  add?: { at: number; minuteCloseWhileSubscribing: boolean } | undefined;
}

/** Counts the bars the session was handed, so the test can wait for a frame to arrive. */
class CountingFeed implements LiveFeed {
  received = 0;
  constructor(private readonly inner: AlpacaFeed) {}
  get name() {
    return this.inner.name;
  }
  get history() {
    return this.inner.history;
  }
  start(sink: FeedSink): () => void {
    return this.inner.start({
      bars: (bars: readonly FeedBar[]) => {
        this.received += bars.length;
        sink.bars(bars);
      },
      status: (status) => sink.status(status),
      sentThrough: (t) => sink.sentThrough(t),
    });
  }
  subscribe(symbols: readonly string[]): void {
    this.inner.subscribe(symbols);
  }
  unsubscribe(symbols: readonly string[]): void {
    this.inner.unsubscribe(symbols);
  }
}

/** Waits for a condition on real events; the bound only turns a hang into a readable failure. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Still waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function runScenario(scenario: Scenario) {
  let now = today.open + scenario.startMinute * MINUTE_MS;
  const clock: LiveClock = { now: () => now };
  const record = new Map<string, Bar[]>([...SYMBOLS, ADDED].map((s) => [s, dayOf(s, today, 0.1).map((bar) => ({ ...bar }))]));
  const server = new FakeAlpacaServer({ clock, record, keyId: KEY, secret: SECRET, pageSize: 7, pollMs: 0 });
  const { streamUrl, restUrl } = await server.listen();
  const feed = new CountingFeed(new AlpacaFeed({ keyId: KEY, secretKey: SECRET, streamUrl, restUrl, backoff: { baseMs: 5, maxMs: 20, connectionLimitMs: 10 }, pageLimit: 1000 }));
  const session = createSession({ mode: 'live', feed, clock, calendar, symbols: SYMBOLS.map((symbol) => ({ symbol, streams: ['1m', '5m'] as const })), tickMs: 2, barGraceMs: 1_000, logger: silentLogger });
  try {
    const report = () => session.summary().feed;
    const symbols = () => session.listSymbols() as Array<{ status: string; gapFills: number }>;
    await session.start();
    await until(() => report().connects === 1 && symbols().every((s) => s.status === 'active'), 'the first connection');

    let minute = scenario.startMinute;
    // Drops scheduled in minutes an earlier outage skipped do not happen.
    let refusals = 0;
    const advance = () => {
      minute++;
      now = today.open + minute * MINUTE_MS;
    };
    /** Publishes the minute that just closed, with its scripted updates and duplicates; returns the bars sent. */
    const publish = () => {
      const before = server.log.barsSent + server.log.updatesSent;
      server.publishClosedMinutes();
      for (const { back } of scenario.updates.filter((u) => u.at === minute)) {
        const t = now - (back + 1) * MINUTE_MS;
        if (t >= today.open) server.sendUpdates(t);
      }
      if (scenario.duplicates.includes(minute)) server.resendMinute(now - MINUTE_MS);
      return server.log.barsSent + server.log.updatesSent - before;
    };
    const delivered = async (sent: number) => {
      const target = feed.received + sent;
      await until(() => feed.received >= target, `minute ${minute}'s bars`);
    };

    const addSymbol = async (add: NonNullable<Scenario['add']>) => {
      if (add.minuteCloseWhileSubscribing) server.holdSubscriptions();
      const added = session.addSymbol(ADDED, { streams: ['1m', '5m'] });
      if (add.minuteCloseWhileSubscribing) {
        await until(() => server.subscriptionsHeld > 0, 'the subscription to be held');
        advance();
        await delivered(publish());
        server.releaseSubscriptions();
      }
      await added;
      const symbol = () => (session.listSymbols() as Array<{ symbol: string; status: string; gapFills: number }>).find((s) => s.symbol === ADDED)!;
      await until(() => symbol().status === 'active' && (!add.minuteCloseWhileSubscribing || symbol().gapFills > 0), `${ADDED} to be added`);
    };

    // An outage may step past the add's minute: it happens at the first step after.
    let addDone = false;
    while (minute < MINUTES) {
      if (scenario.add && !addDone && minute >= scenario.add.at) {
        addDone = true;
        await addSymbol(scenario.add);
      }
      advance();
      const drop = scenario.drops.find((d) => d.at === minute);
      if (!drop) {
        await delivered(publish());
        continue;
      }
      const drops = report().drops;
      const connects = report().connects;
      const fills = symbols().map((s) => s.gapFills);
      server.refuseConnections(drop.refusals);
      refusals += drop.refusals;
      if (drop.minuteCloseWhileSubscribing) server.holdSubscriptions();
      if (drop.minutesDuringFill > 0) server.holdHistory();
      const cut = async () => {
        server.dropConnections(drop.downMinutes);
        await until(() => report().drops > drops, 'the drop to be seen');
      };
      if (drop.phase === 'beforeSend') {
        await cut();
        publish();
      } else if (drop.phase === 'inFlight') {
        publish();
        await cut();
      } else {
        await delivered(publish());
        await cut();
      }
      for (let k = 0; k < drop.downMinutes && minute < MINUTES; k++) {
        advance();
        publish();
      }
      if (drop.minuteCloseWhileSubscribing) {
        await until(() => server.subscriptionsHeld > 0, 'the subscription to be held');
        if (minute < MINUTES) {
          advance();
          publish();
        }
        server.releaseSubscriptions();
      }
      await until(() => report().connects > connects, 'the reconnection');
      if (drop.minutesDuringFill > 0) {
        await until(() => server.historyHeld > 0, 'the gap fill to ask for history');
        for (let k = 0; k < drop.minutesDuringFill && minute < MINUTES; k++) {
          advance();
          await delivered(publish());
        }
        server.releaseHistory();
      }
      await until(() => symbols().every((s, i) => s.status === 'active' && s.gapFills > fills[i]!), 'the gap fill');
    }
    now = today.close + 1_000;
    await session.done;
    const truth = new MemoryBarStore();
    for (const [symbol, day] of record) await truth.putBars(symbol, '1m', day);
    const held: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const symbol of addDone ? [...SYMBOLS, ADDED] : SYMBOLS) {
      held[symbol] = session.data.getSymbolData(symbol)!.bars;
      expected[symbol] = await backtestSeries(truth, symbol, ['1m', '5m']);
    }
    return { held, expected, refused: server.log.refused, refusals };
  } finally {
    await session.stop();
    await server.close();
  }
}

// Every outage here ends before the close (the longest is 3 + 1 + 2 minutes): a feed still
// down at the close leaves its last minutes unfilled, see the README.
const dropArb: fc.Arbitrary<Drop> = fc.record({
  at: fc.integer({ min: 2, max: MINUTES - 6 }),
  phase: fc.constantFrom('beforeSend' as const, 'inFlight' as const, 'afterDelivery' as const),
  downMinutes: fc.integer({ min: 0, max: 3 }),
  refusals: fc.integer({ min: 0, max: 2 }),
  minuteCloseWhileSubscribing: fc.boolean(),
  minutesDuringFill: fc.integer({ min: 0, max: 2 }),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  startMinute: fc.integer({ min: 1, max: 4 }),
  drops: fc.uniqueArray(dropArb, { selector: (d) => d.at, minLength: 1, maxLength: 3 }),
  updates: fc.array(fc.record({ at: fc.integer({ min: 2, max: MINUTES }), back: fc.integer({ min: 0, max: 8 }) }), { maxLength: 6 }),
  duplicates: fc.array(fc.integer({ min: 2, max: MINUTES }), { maxLength: 4 }),
  add: fc.option(fc.record({ at: fc.integer({ min: 2, max: MINUTES - 6 }), minuteCloseWhileSubscribing: fc.boolean() }), { nil: undefined }),
});

testProp(
  'after any drop, outage, refusals, updates and duplicates, the day held equals the feed\'s record',
  [scenarioArb],
  async (t, scenario) => {
    const { held, expected, refused, refusals } = await runScenario(scenario);
    t.deepEqual(held, expected);
    t.is(refused, refusals, 'every scripted 406 was met');
  },
  { numRuns: 30 },
);

// The race behind the lost bars: the session was told `connected` when it sent its subscription,
// and filled the gap up to that moment; a minute that closed before the service acted on the
// subscription was neither in the fill nor on the stream.
test('a minute that closes while the subscription is on its way is not lost', async (t) => {
  const { held, expected } = await runScenario({
    startMinute: 2,
    drops: [{ at: 6, phase: 'afterDelivery', downMinutes: 1, refusals: 0, minuteCloseWhileSubscribing: true, minutesDuringFill: 0 }],
    updates: [],
    duplicates: [],
  });
  t.deepEqual(held, expected);
});

// A bar delivered again after its update must not undo the update while the symbol is being filled.
test('a duplicate delivered during a gap fill does not undo an update', async (t) => {
  const { held, expected } = await runScenario({
    startMinute: 2,
    drops: [{ at: 8, phase: 'afterDelivery', downMinutes: 0, refusals: 1, minuteCloseWhileSubscribing: false, minutesDuringFill: 1 }],
    updates: [{ at: 9, back: 0 }],
    duplicates: [9],
  });
  t.deepEqual(held, expected);
});

// The same race for a symbol added while connected: its history stopped at the minute it was
// added, and the minute that closed before the service acted on its subscription reached no one.
test('a minute that closes while an added symbol\'s subscription is on its way is not lost', async (t) => {
  const { held, expected } = await runScenario({ startMinute: 2, drops: [], updates: [], duplicates: [], add: { at: 6, minuteCloseWhileSubscribing: true } });
  t.deepEqual(held, expected);
});

// Updated bars sent while the connection was down may correct any minute already held, not only
// the last few: the gap fill fetches the day so far again.
test('an update missed while down, to a minute long before the drop, is restored', async (t) => {
  const { held, expected } = await runScenario({
    startMinute: 1,
    drops: [{ at: 4, phase: 'beforeSend', downMinutes: 0, refusals: 0, minuteCloseWhileSubscribing: true, minutesDuringFill: 0 }],
    updates: [{ at: 5, back: 4 }],
    duplicates: [],
  });
  t.deepEqual(held, expected);
});
