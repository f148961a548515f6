import { get, type IncomingMessage } from 'node:http';
import { createSession, generateDayBars, MemoryBarStore, nyse, silentLogger, type BacktestSpeed, type BarStore, type Session } from 'tapedeck';

export const DATE = '2024-03-08';

/** A full synthetic NYSE day of AAPL, MSFT and TSLA (NVDA has none); every load takes `delayMs` when set. */
export async function dayStore(delayMs = 0): Promise<BarStore> {
  const store = new MemoryBarStore();
  const day = nyse.session(DATE)!;
  for (const symbol of ['AAPL', 'MSFT', 'TSLA']) await store.putBars(symbol, '1m', generateDayBars(symbol, day));
  if (delayMs === 0) return store;
  return {
    getBars: async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return store.getBars(...args);
    },
    putBars: (...args) => store.putBars(...args),
  };
}

/** A started session on AAPL and MSFT (1m, 5m). */
export async function startedSession(options: { speed?: BacktestSpeed; store?: BarStore } = {}): Promise<Session> {
  const session = createSession({
    mode: 'backtest',
    date: DATE,
    symbols: ['AAPL', { symbol: 'MSFT', streams: ['1m', '5m'] }],
    store: options.store ?? (await dayStore()),
    speed: options.speed ?? 'manual',
    logger: silentLogger,
  });
  await session.start();
  return session;
}

export interface SseMessage {
  event: string;
  data: any;
}

/** A Server-Sent Events client that keeps every message, for tests. */
export interface EventStream {
  readonly messages: SseMessage[];
  /** Resolves with the first message (seen or coming) that matches. */
  next(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
  readonly response: IncomingMessage;
}

/** The inspector's event stream, opened with the cookie the page gets from the printed URL. */
export function openEvents(server: { origin: string; secret: string; secretCookie: string }): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = get(`${server.origin}events`, { agent: false, headers: { cookie: `${server.secretCookie}=${server.secret}` } }, (response) => {
      const messages: SseMessage[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) messages.push({ event, data: JSON.parse(data) });
        }
        for (const wake of waiters) wake();
      });
      resolve({
        messages,
        response,
        next(match, timeoutMs = 5000) {
          return new Promise((found, fail) => {
            const check = () => {
              const message = messages.find(match);
              if (!message) return;
              waiters.delete(check);
              clearTimeout(timer);
              found(message);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(messages).slice(-2000)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

export async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
