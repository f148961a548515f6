import type { Bar } from '../../model/bar.js';
import type { BarStore } from '../../model/bar-store.js';
import type { Logger } from '../../model/logger.js';
import type { LiveSession } from '../../session/session.js';

/** A store that can take many symbols' bars in one write (`ArrowBarStore`). */
interface ManyBarsStore extends BarStore {
  putManyBars(interval: '1m', bars: ReadonlyMap<string, Bar[]>): Promise<void>;
}

export interface LiveBarRecording {
  /** Writes what is waiting now; resolves when it is in the store. */
  flush(): Promise<void>;
  /** Stops listening and writes what is left. */
  close(): Promise<void>;
}

/**
 * Writes a live session's 1m bars of the day into `store` as they arrive, so that a backtest
 * of that day (`tapedeck backtest --date`) replays what the live session saw. Bars come from
 * three places — the stream, the day so far loaded when a symbol is added, and gap fills after
 * a reconnect — and may come twice, or come again updated: they wait keyed by symbol and time
 * (the latest wins) and the store merges by time, so each minute is stored once, as last seen.
 * The stream's bars are taken as delivered; a symbol's whole day is taken again each time it
 * becomes active, which is when a history load or a gap fill has just been written.
 *
 * Writes run one at a time, every `flushMs` of wall time; a failed write is logged and its bars
 * wait for the next one.
 */
export function recordLiveBars(session: LiveSession, store: BarStore, options: { flushMs?: number; logger?: Logger } = {}): LiveBarRecording {
  const { open, close } = session.tradingSession;
  const day = { from: Math.min(open, session.tradingSession.extendedOpen), to: Math.max(close, session.tradingSession.extendedClose) };
  const waiting = new Map<string, Map<number, Bar>>();
  const take = (symbol: string, bar: Bar) => {
    if (bar.t < day.from || bar.t >= day.to) return;
    let bars = waiting.get(symbol);
    if (!bars) waiting.set(symbol, (bars = new Map()));
    bars.set(bar.t, { t: bar.t, o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: bar.v });
  };
  const stopBars = session.onBar((bar) => {
    if (bar.interval === '1m') take(bar.symbol, bar);
  });
  const stopSymbols = session.on('symbol', ({ symbol, status }) => {
    if (status === 'active') for (const bar of session.data.getBarsSince(symbol, day.from, '1m')) take(symbol, bar);
  });
  let writing: Promise<void> = Promise.resolve();
  const write = async () => {
    if (waiting.size === 0) return;
    const batch = new Map([...waiting].map(([symbol, bars]) => [symbol, [...bars.values()].sort((a, b) => a.t - b.t)]));
    waiting.clear();
    try {
      if (hasManyBars(store)) await store.putManyBars('1m', batch);
      else for (const [symbol, bars] of batch) await store.putBars(symbol, '1m', bars);
    } catch (error) {
      options.logger?.error('tapedeck: live bars could not be written to the store; they are tried again with the next write.', error);
      // Put back under anything newer that arrived meanwhile.
      for (const [symbol, bars] of batch) for (const bar of bars) if (!waiting.get(symbol)?.has(bar.t)) take(symbol, bar);
    }
  };
  const flush = () => (writing = writing.then(write));
  const timer = setInterval(() => void flush(), options.flushMs ?? 1_000);
  timer.unref();
  return {
    flush,
    async close() {
      clearInterval(timer);
      stopBars();
      stopSymbols();
      await flush();
    },
  };
}

function hasManyBars(store: BarStore): store is ManyBarsStore {
  return typeof (store as Partial<ManyBarsStore>).putManyBars === 'function';
}
