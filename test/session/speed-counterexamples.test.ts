import test from 'ava';
import { createSession, isSessionError, silentLogger, type BacktestSpeed, type Session } from 'tapedeck';
import { fullDay } from '../support/day-data.js';
import { fixedCalendar } from '../support/fixed-calendar.js';
import { DATE } from '../support/session-harness.js';
import { ScriptedStore } from '../support/scripted-store.js';

// A strategy on a 09:30–16:00 day adds XXX from its bar listener. Whatever the clock's pace,
// XXX is caught up to the minute of the request and streams from the next one; an add made in
// the last half hour (the last batch at 'max') is not failed by the close.

const calendar = fixedCalendar({ openUtc: '14:30', minutes: 390 });
const day = calendar.session(DATE)!;

type Drive = { speed: BacktestSpeed; maxBatchMinutes?: number; step?: (session: Session) => Promise<void> };

const drives: Record<string, Drive> = {
  "'max'": { speed: 'max' },
  "'max', maxBatchMinutes 390": { speed: 'max', maxBatchMinutes: 390 },
  'numeric speed': { speed: 600_000 },
  "'manual', advance(1) each minute": {
    speed: 'manual',
    step: async (session) => {
      while (session.state !== 'closed') await session.advance(1);
    },
  },
  "'manual', one advanceTo(close)": { speed: 'manual', maxBatchMinutes: 390, step: (session) => session.advanceTo(day.close) },
};

/** Adds XXX from onBar at `minute` after the open; returns what the strategy saw of it. */
async function addFromOnBar(drive: Drive, minute: number) {
  const store = new ScriptedStore({ AAA: fullDay(day, 100), XXX: fullDay(day, 200) });
  const session = createSession({
    mode: 'backtest',
    date: DATE,
    calendar,
    store,
    symbols: ['AAA'],
    speed: drive.speed,
    logger: silentLogger,
    ...(drive.maxBatchMinutes ? { maxBatchMinutes: drive.maxBatchMinutes } : {}),
  });
  const addAt = day.open + minute * 60_000;
  const xxx: number[] = [];
  let outcome = 'pending';
  let entry: { now: number; latest: number | undefined } | undefined;
  session.onBar((bar) => {
    if (bar.symbol === 'XXX') xxx.push(bar.t);
    if (bar.symbol !== 'AAA' || session.clock.now() !== addAt) return;
    session.addSymbol('XXX', { streams: ['1m'] }).then(
      () => {
        outcome = 'active';
        entry = { now: session.clock.now(), latest: session.data.getLatestBar('XXX')?.t };
      },
      (error: unknown) => void (outcome = isSessionError(error) ? error.code : String(error)),
    );
  });
  await session.start();
  await drive.step?.(session);
  await session.done;
  return { outcome, first: xxx[0], count: xxx.length, entry, barsAfterDone: session.data.getBarCount('XXX') };
}

for (const [name, drive] of Object.entries(drives)) {
  test(`${name}: an add made at 10:31 catches up to 10:31 and streams from the 10:31 bar`, async (t) => {
    const seen = await addFromOnBar(drive, 61);
    t.is(seen.outcome, 'active');
    t.is(seen.first, day.open + 61 * 60_000, 'first XXX bar notified: the 10:31 bar');
    t.is(seen.count, 329);
    t.deepEqual(seen.entry, { now: day.open + 61 * 60_000, latest: day.open + 60 * 60_000 }, 'the price read in .then is the 10:30 bar, at 10:31');
  });

  test(`${name}: an add made at 15:31 is active, not failed by the close`, async (t) => {
    const seen = await addFromOnBar(drive, 361);
    t.is(seen.outcome, 'active');
    t.is(seen.first, day.open + 361 * 60_000);
    t.is(seen.count, 29);
  });

  test(`${name}: an add made at the close is caught up to it before the session ends`, async (t) => {
    const seen = await addFromOnBar(drive, 390);
    t.is(seen.outcome, 'active');
    t.is(seen.count, 0, 'nothing left to stream');
    t.is(seen.barsAfterDone, 390, 'the whole day is readable after done');
  });
}

for (const speed of ['max', 'manual'] as const) {
  test(`${speed}: a graceful removal, then an immediate one while it drains: both callers hear it is removed`, async (t) => {
    const session = createSession({ mode: 'backtest', date: DATE, calendar, store: new ScriptedStore({ AAA: fullDay(day), BBB: fullDay(day) }), symbols: ['AAA', 'BBB'], speed, logger: silentLogger });
    const settled: string[] = [];
    session.onBar((bar) => {
      if (bar.symbol !== 'AAA' || session.clock.now() !== day.open + 10 * 60_000) return;
      session.removeSymbol('BBB').then(() => settled.push(`graceful at ${session.clock.now()}`));
      session.removeSymbol('BBB', { immediate: true }).then(() => settled.push(`immediate at ${session.clock.now()}`));
    });
    await session.start();
    if (speed === 'manual') await session.advanceTo(day.close);
    await session.done;
    const at = day.open + 10 * 60_000;
    t.deepEqual(settled, [`graceful at ${at}`, `immediate at ${at}`], 'both settle at 09:40, before the next minute');
    t.is(session.listSymbols().find((s) => s.symbol === 'BBB')?.status, 'removed');
  });

  test(`${speed}: two graceful removals share the drain: both settle once BBB streamed its last minute`, async (t) => {
    const session = createSession({ mode: 'backtest', date: DATE, calendar, store: new ScriptedStore({ AAA: fullDay(day), BBB: fullDay(day) }), symbols: ['AAA', 'BBB'], speed, logger: silentLogger });
    const settled: number[] = [];
    let lastBbb = 0;
    session.onBar((bar) => {
      if (bar.symbol === 'BBB') lastBbb = bar.t;
      if (bar.symbol !== 'AAA' || session.clock.now() !== day.open + 10 * 60_000) return;
      for (let i = 0; i < 2; i++) session.removeSymbol('BBB').then(() => settled.push(session.clock.now()));
    });
    await session.start();
    if (speed === 'manual') await session.advanceTo(day.close);
    await session.done;
    t.deepEqual(settled, [day.open + 11 * 60_000, day.open + 11 * 60_000]);
    t.is(lastBbb, day.open + 10 * 60_000, 'BBB streamed the minute in progress (09:40–09:41), then went');
  });
}
