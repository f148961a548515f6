import { createSession, generateDayBars, MemoryBarStore, silentLogger, type Bar, type Interval, type StreamBar } from 'tapedeck';
import type { TradingSession } from '../../calendar/market-calendar.js';
import { acceleratedClock, type LiveClock } from '../../data-plane/live-clock.js';
import { fixedCalendar } from './fixed-calendar.js';

export const DATE = '2024-03-08';
/** A 30-minute UTC session, so a whole live day runs in seconds on a fast clock. */
export const calendar = fixedCalendar({ minutes: 30 });
export const today = calendar.session(DATE)!;
export const yesterday = calendar.session(calendar.previousTradingDay(DATE))!;
/** Simulated ms per real ms in live tests: ten minutes a second. */
export const SPEED = 600;

export function dayOf(symbol: string, session: TradingSession, missingRate = 0): Bar[] {
  return generateDayBars(symbol, session, { seed: 3, missingRate });
}

export async function storeWith(symbols: string[], options: { missingRate?: number } = {}): Promise<MemoryBarStore> {
  const store = new MemoryBarStore();
  for (const symbol of symbols) {
    await store.putBars(symbol, '1m', [...dayOf(symbol, yesterday, options.missingRate), ...dayOf(symbol, today, options.missingRate)]);
  }
  return store;
}

export interface FastClock extends LiveClock {
  /**
   * Stops the clock at `at` until `ready()`, then lets it jump to where it would be. On a busy
   * machine a real millisecond can pass many simulated ones: a test's next step, or the last
   * minute's bar, must not depend on the machine keeping up.
   */
  holdAt(at: number, ready: () => boolean): void;
  /** `holdAt` the close: the session's grace for the last minute is a few real milliseconds at SPEED. */
  holdCloseUntil(ready: () => boolean): void;
}

/** A clock `minutesIn` minutes after today's open, running SPEED× real time. */
export function fastClock(minutesIn: number): FastClock {
  const clock = acceleratedClock(today.open + minutesIn * 60_000, SPEED);
  const gates: Array<{ at: number; ready: () => boolean }> = [];
  const fastClock: FastClock = {
    now() {
      const now = clock.now();
      for (const gate of gates) {
        if (now < gate.at) break;
        if (!gate.ready()) return gate.at;
        gates.splice(gates.indexOf(gate), 1);
        return fastClock.now();
      }
      return now;
    },
    holdAt(at, ready) {
      gates.push({ at, ready });
      gates.sort((a, b) => a.at - b.at);
    },
    holdCloseUntil(ready) {
      fastClock.holdAt(today.close, ready);
    },
  };
  return fastClock;
}

/** True once the session holds each symbol's last bar of `days` (a symbol without bars needs none). */
export function holdsLastBars(session: { data: { getLatestBar(symbol: string): Bar | undefined } }, days: ReadonlyMap<string, readonly Bar[]>): boolean {
  return [...days].every(([symbol, bars]) => {
    const last = bars.at(-1);
    return last === undefined || (session.data.getLatestBar(symbol)?.t ?? Number.NEGATIVE_INFINITY) >= last.t;
  });
}

/** What a backtest of the whole day stores for `symbol`: the reference a live session must equal. */
export async function backtestSeries(store: MemoryBarStore, symbol: string, streams: Interval[]): Promise<Partial<Record<Interval, Bar[]>>> {
  const session = createSession({ mode: 'backtest', date: DATE, calendar, store, symbols: [{ symbol, streams }], speed: 'max', logger: silentLogger });
  await session.start();
  await session.done;
  return session.data.getSymbolData(symbol)!.bars;
}

/** Records bars with the clock reading at delivery, to check look-ahead and order. */
export function recordBars(session: { onBar(listener: (bar: StreamBar) => void): () => void; clock: LiveClock }) {
  const seen: Array<StreamBar & { at: number }> = [];
  session.onBar((bar) => seen.push({ ...bar, at: session.clock.now() }));
  return seen;
}

/** Resolves once `count` 1m bars of `symbol` have been delivered: simulated time has passed, however fast the machine. */
export function minutesStreamed(session: { onBar(listener: (bar: StreamBar) => void): () => void }, symbol: string, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const stop = session.onBar((bar) => {
      if (bar.symbol !== symbol || bar.interval !== '1m' || ++seen < count) return;
      stop();
      resolve();
    });
  });
}

export function closeOf(bar: StreamBar): number {
  const span = { '1m': 1, '5m': 5, '15m': 15, '30m': 30, '1h': 60 }[bar.interval] * 60_000;
  return Math.min(bar.t + span, today.close);
}
