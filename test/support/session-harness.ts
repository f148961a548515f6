import { waitFor } from 'xstate';
import { createSession, silentLogger, type Session, type SessionOptions, type StreamBar } from 'tapedeck';
import { fixedCalendar } from './fixed-calendar.js';
import { fullDay } from './day-data.js';
import { ScriptedStore } from './scripted-store.js';

export const DATE = '2024-03-08';

/** A short session (default 60 minutes) on a fixed calendar, stepped by hand. */
export function shortCalendar(minutes = 60) {
  return fixedCalendar({ minutes, extendedBefore: 30, extendedAfter: 30 });
}

export interface Harness {
  session: Session;
  store: ScriptedStore;
  /** Every bar delivered to a listener, in delivery order. */
  bars: StreamBar[];
  /** Every state the session machine entered, in order. */
  states: string[];
  /** Warnings and errors the session logged. */
  logs: string[];
}

/**
 * A manual-speed session whose symbols all have a full day of bars in a scripted store
 * (`days` overrides or adds days), with recorders for bars, states and logs.
 */
export function harness(
  options: Partial<SessionOptions> & { minutes?: number; days?: Record<string, ReturnType<typeof fullDay>>; stored?: string[] } = {},
): Harness {
  const { minutes = 60, days = {}, stored = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'AMD'], ...sessionOptions } = options;
  const calendar = shortCalendar(minutes);
  const tradingSession = calendar.session(DATE)!;
  const store = new ScriptedStore();
  stored.forEach((symbol, i) => store.days.set(symbol, fullDay(tradingSession, 100 + 50 * i)));
  for (const [symbol, bars] of Object.entries(days)) store.days.set(symbol, bars);
  const logs: string[] = [];
  const session = createSession({
    mode: 'backtest',
    date: DATE,
    symbols: ['AAPL'],
    speed: 'manual',
    calendar,
    logger: { ...silentLogger, warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    ...sessionOptions,
    store: sessionOptions.store ?? store,
  });
  const bars: StreamBar[] = [];
  const states: string[] = [];
  session.onBar((bar) => bars.push(bar));
  session.on('state', ({ state }) => states.push(state));
  return { session, store, bars, states, logs };
}

/**
 * Starts `h`'s session, runs 10 minutes, then adds `symbol` with its load held by the store:
 * the next step pauses and stays paused until `h.store.release(symbol)`.
 */
export async function pausedOnHeldLoad(h: Harness, symbol = 'TSLA') {
  await h.session.start();
  await h.session.advance(10);
  h.store.script(symbol, { kind: 'gate' });
  const added = h.session.addSymbol(symbol);
  const step = h.session.advance(1);
  await waitFor(h.session.actor, () => h.session.state === 'paused');
  return { added, step };
}
