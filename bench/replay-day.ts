import { createSession, generateDayBars, MemoryBarStore, nyse, silentLogger, type Bar, type Interval, type Session } from 'tapedeck';

export const DATE = '2024-03-08';
export const tradingSession = nyse.session(DATE)!;
const STREAMS: Interval[] = ['1m', '5m'];

/** The replay benchmark's day: `count` symbols of generated 1m bars, in a store and as arrays. */
export async function replayDay(count: number): Promise<{ store: MemoryBarStore; symbols: string[]; days: Bar[][]; bars: number }> {
  const store = new MemoryBarStore();
  const symbols = Array.from({ length: count }, (_, i) => `S${String(i).padStart(3, '0')}`);
  const days: Bar[][] = [];
  for (const symbol of symbols) {
    const day = generateDayBars(symbol, tradingSession, { seed: 1 });
    days.push(day);
    await store.putBars(symbol, '1m', day);
  }
  return { store, symbols, days, bars: days.reduce((sum, day) => sum + day.length, 0) };
}

/**
 * One backtest of the day at full speed with a strategy that reads every bar's close; returns
 * wall milliseconds from `start()` to `done`, and the session (kept alive for memory probes).
 * `attach` runs before the start (an inspector, say) and returns its own teardown.
 */
export async function replayOnce(store: MemoryBarStore, symbols: string[], attach?: (session: Session) => Promise<() => Promise<void>>) {
  const session = createSession({
    mode: 'backtest',
    date: DATE,
    store,
    symbols: symbols.map((symbol) => ({ symbol, streams: STREAMS })),
    speed: 'max',
    logger: silentLogger,
  });
  const detach = await attach?.(session);
  let closes = 0;
  session.onBar((bar) => {
    closes += bar.c;
  });
  const started = performance.now();
  await session.start();
  const summary = await session.done;
  const ms = performance.now() - started;
  await detach?.();
  const streamed = summary.symbols.reduce((sum, s) => sum + (s.streamed['1m'] ?? 0), 0);
  return { ms, streamed, delivered: summary.notifications.delivered, session, checksum: closes };
}
