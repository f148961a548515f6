import type { MarketCalendar, TradingSession } from '../../calendar/market-calendar.js';
import { parseTradingDate } from '../../calendar/trading-date.js';
import { MINUTE_MS, type Bar } from '../../model/bar.js';
import { SessionError } from '../../model/session-error.js';
import type { BarStore } from '../../model/bar-store.js';
import { assertValidSymbol } from '../../model/symbol-name.js';

export interface SyntheticDayOptions {
  /** Same seed, symbol and day: the same bars, on any machine. Default 0. */
  seed?: number;
  /** Cover the extended-hours window instead of regular hours. */
  extendedHours?: boolean;
  /** Share of minutes left out, as feeds drop quiet minutes. Default 0.01. */
  missingRate?: number;
}

/** Volume outside regular hours, relative to the quietest regular minute. */
const EXTENDED_VOLUME = 0.15;

/**
 * One day of plausible 1m bars for `symbol`: a random walk from a price that depends on the
 * symbol, U-shaped volume over the regular session (busy open and close, quiet midday), prices
 * in cents with `l <= o, c <= h`. Deterministic: a PRNG seeded from symbol, date and seed.
 *
 * Every minute draws the same random numbers whether or not it is left out, so a day with
 * missing minutes is the full day with those minutes removed.
 */
export function generateDayBars(symbol: string, session: TradingSession, options: SyntheticDayOptions = {}): Bar[] {
  assertValidSymbol(symbol);
  const { seed = 0, extendedHours = false, missingRate = 0.01 } = options;
  if (!(missingRate >= 0 && missingRate <= 1)) {
    throw new SessionError('INVALID_OPTION', `missingRate must be between 0 and 1, got ${String(missingRate)}.`, { missingRate });
  }
  const traits = symbolTraits(symbol);
  const random = mulberry32(hash32(`${symbol}|${session.date}|${seed}`));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  const start = extendedHours ? session.extendedOpen : session.open;
  const end = extendedHours ? session.extendedClose : session.close;
  const regularMinutes = (session.close - session.open) / MINUTE_MS;
  let close = cents(traits.price * Math.exp(0.05 * gauss()));
  const bars: Bar[] = [];
  for (let t = start; t < end; t += MINUTE_MS) {
    const open = close;
    close = Math.max(0.01, cents(open * Math.exp(traits.volatility * gauss())));
    const high = Math.max(open, close, cents(Math.max(open, close) * (1 + Math.abs(traits.volatility * gauss()) / 2)));
    const low = Math.max(0.01, Math.min(open, close, cents(Math.min(open, close) * (1 - Math.abs(traits.volatility * gauss()) / 2))));
    const inHours = t >= session.open && t < session.close;
    const shape = inHours ? uShape((t - session.open) / MINUTE_MS / regularMinutes) : EXTENDED_VOLUME;
    const volume = Math.max(1, Math.round(traits.volume * shape * Math.exp(0.4 * gauss())));
    if (random() >= missingRate) bars.push({ t, o: open, h: high, l: low, c: close, v: volume });
  }
  return bars;
}

export interface SyntheticDatasetOptions {
  store: BarStore;
  calendar: MarketCalendar;
  symbols: string[];
  /** Exchange-local dates, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  seed?: number;
  extendedHours?: boolean;
  /** Symbol-days written so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

/** Symbols generated before one write: a month of 50 symbols' 1m bars is about 400,000 bars. */
const SYMBOLS_PER_WRITE = 50;

/** A store that writes many symbols in one call (`ArrowBarStore`): one segment per day for many symbols instead of one each. */
interface BatchWriter {
  putManyBars(interval: '1m', bars: ReadonlyMap<string, Bar[]>): Promise<void>;
}

function isBatchWriter(store: BarStore): store is BarStore & BatchWriter {
  return typeof (store as Partial<BatchWriter>).putManyBars === 'function';
}

/**
 * Writes synthetic 1m bars for every symbol and trading day from `from` to `to`, a calendar
 * month at a time: through `putManyBars` for up to 50 symbols a call when the store has it,
 * else `store.putBars`, one symbol per call. Returns the trading days covered and the bars written.
 */
export async function generateDataset(options: SyntheticDatasetOptions): Promise<{ days: number; bars: number }> {
  const { store, calendar, from, to, seed, extendedHours, onProgress } = options;
  const symbols = [...new Set(options.symbols.map(assertValidSymbol))];
  if (parseTradingDate(from).toString() > parseTradingDate(to).toString()) {
    throw new SessionError('INVALID_OPTION', `The range starts after it ends: from ${from} to ${to}.`, { from, to });
  }
  const dates = calendar.tradingDays(from, to);
  const sessions = dates.map((date) => {
    const session = calendar.session(date);
    if (!session) throw new SessionError('NOT_A_TRADING_DAY', `${calendar.name} lists ${date} as a trading day but has no session for it.`, { date });
    return session;
  });
  const months = new Map<string, TradingSession[]>();
  for (const session of sessions) months.set(session.date.slice(0, 7), [...(months.get(session.date.slice(0, 7)) ?? []), session]);
  const total = symbols.length * dates.length;
  let done = 0;
  let written = 0;
  for (const ofMonth of months.values()) {
    for (let first = 0; first < symbols.length; first += SYMBOLS_PER_WRITE) {
      const batch = new Map<string, Bar[]>();
      for (const symbol of symbols.slice(first, first + SYMBOLS_PER_WRITE)) {
        const bars: Bar[] = [];
        for (const session of ofMonth) {
          for (const bar of generateDayBars(symbol, session, { ...(seed === undefined ? {} : { seed }), ...(extendedHours === undefined ? {} : { extendedHours }) })) bars.push(bar);
        }
        batch.set(symbol, bars);
        written += bars.length;
      }
      if (isBatchWriter(store)) {
        await store.putManyBars('1m', batch);
        done += batch.size * ofMonth.length;
        onProgress?.(done, total);
      } else {
        for (const [symbol, bars] of batch) {
          await store.putBars(symbol, '1m', bars);
          done += ofMonth.length;
          onProgress?.(done, total);
        }
      }
    }
  }
  return { days: dates.length, bars: written };
}

/** A symbol's character, from its name alone: price level, minute volatility and volume. */
function symbolTraits(symbol: string): { price: number; volatility: number; volume: number } {
  const random = mulberry32(hash32(symbol));
  return {
    price: 5 * Math.exp(random() * Math.log(100)), // 5 to 500, log-uniform
    volatility: 0.0004 + random() * 0.0012, // per minute
    volume: Math.round(200 + random() * 20_000), // per quiet regular minute
  };
}

/** Busy at the open and the close, quietest at midday: 3x at the ends, 1x in the middle. */
function uShape(x: number): number {
  return 1 + 2 * (2 * x - 1) ** 2;
}

function cents(price: number): number {
  return Math.round(price * 100) / 100;
}

/** FNV-1a: spreads similar strings (AAPL, AAPM) to unrelated seeds. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A small, fast PRNG with a 32-bit state: plenty for synthetic prices, and the same everywhere. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4_294_967_296;
  };
}
