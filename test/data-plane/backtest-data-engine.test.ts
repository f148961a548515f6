import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import { BacktestDataEngine } from '../../data-plane/backtest-data-engine.js';
import { BarNotifier } from '../../data-plane/bar-notifier.js';
import { validateDayBars } from '../../data-plane/day-bars.js';
import { createSessionData } from '../../data-plane/session-data.js';
import { MINUTE_MS, type Interval } from '../../model/bar.js';
import { dayBarsArb, fullDay } from '../support/day-data.js';
import { DATE, shortCalendar } from '../support/session-harness.js';

const session = shortCalendar(90).session(DATE)!;
const window = { open: session.open, close: session.close };
const SYMBOLS = ['AAA', 'BBB', 'CCC'];
const STREAMS: Interval[] = ['1m', '5m', '15m'];

type Listening = 'listener' | 'none' | 'paused';

/** An engine over `days`, told of its bars by a listener, by nobody, or by a notifier paused. */
function engineFor(days: Record<string, ReturnType<typeof fullDay>>, listening: Listening) {
  const writer = createSessionData();
  const notifier = new BarNotifier(() => undefined);
  const heard: string[] = [];
  if (listening !== 'none') notifier.subscribeAt((symbol, interval, bars, index) => heard.push(`${symbol} ${interval} ${bars.t[index]}`));
  if (listening === 'paused') notifier.pause('user');
  const engine = new BacktestDataEngine(window, session.open, writer, notifier);
  for (const symbol of SYMBOLS) engine.stage(symbol, STREAMS, validateDayBars(symbol, days[symbol]!, window));
  engine.catchUp(SYMBOLS);
  return { engine, writer, notifier, heard };
}

/** What a step leaves behind: the clock, who streams, their counters and every series. */
function state({ engine, writer }: ReturnType<typeof engineFor>) {
  return {
    now: engine.clock.now(),
    streaming: SYMBOLS.filter((symbol) => engine.isStreaming(symbol)),
    stats: SYMBOLS.map((symbol) => engine.stats(symbol)),
    data: SYMBOLS.map((symbol) => writer.data.getSymbolData(symbol)),
  };
}

interface Step {
  minutes: number;
  /** Stop once the clock stands at or after this many minutes from the open. */
  holdAfter: number | undefined;
  /** A symbol to drain before the step. */
  drain: number | undefined;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  minutes: fc.integer({ min: 1, max: 40 }),
  holdAfter: fc.option(fc.integer({ min: 0, max: 95 }), { nil: undefined }),
  drain: fc.option(fc.integer({ min: 0, max: SYMBOLS.length - 1 }), { nil: undefined }),
});

testProp(
  'with no bar reaching a listener, steps leave the same clock, series and counters as steps told bar by bar',
  [fc.tuple(dayBarsArb(session), dayBarsArb(session), dayBarsArb(session)), fc.array(stepArb, { minLength: 1, maxLength: 12 })],
  (t, [a, b, c], steps) => {
    const days = { AAA: a, BBB: b, CCC: c };
    const engines = (['listener', 'none', 'paused'] as const).map((listening) => engineFor(days, listening));
    for (const step of steps) {
      for (const run of engines) {
        if (step.drain !== undefined) run.engine.drain(SYMBOLS[step.drain]!);
        const holdAt = step.holdAfter === undefined ? undefined : window.open + step.holdAfter * MINUTE_MS;
        run.engine.step(step.minutes, () => holdAt !== undefined && run.engine.clock.now() >= holdAt);
      }
      const [told, unheard, paused] = engines.map(state);
      t.deepEqual(unheard, told);
      t.deepEqual(paused, told);
    }
    const [told, , paused] = engines;
    // Paused, every bar the listener was told of is counted as dropped, none as delivered.
    t.is(paused!.notifier.dropped, told!.heard.length);
    t.is(paused!.notifier.delivered, 0);
    t.deepEqual(paused!.heard, []);
  },
);

test('a step with nobody listening covers all its minutes at once and stops where a step told bar by bar stops', (t) => {
  const days = Object.fromEntries(SYMBOLS.map((symbol, i) => [symbol, fullDay(session, 100 + i)]));
  const told = engineFor(days, 'listener');
  const unheard = engineFor(days, 'none');
  const holdAt = window.open + 7 * MINUTE_MS;
  for (const run of [told, unheard]) run.engine.step(30, () => run.engine.clock.now() >= holdAt);
  t.is(unheard.engine.clock.now(), holdAt);
  t.deepEqual(state(unheard), state(told));
  t.is(unheard.writer.data.getBarCount('AAA', '1m'), 7);
  t.is(unheard.writer.data.getBarCount('AAA', '5m'), 1);
  for (const run of [told, unheard]) run.engine.step(30);
  t.is(unheard.engine.clock.now(), holdAt + 30 * MINUTE_MS);
  t.deepEqual(state(unheard), state(told));
});
