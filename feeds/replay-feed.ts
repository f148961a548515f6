import type { MarketCalendar } from '../calendar/market-calendar.js';
import { nyse } from '../calendar/nyse.js';
import { MINUTE_MS, type Bar } from '../model/bar.js';
import { wallClock, type LiveClock } from '../data-plane/live-clock.js';
import { storeHistory } from '../session/live-session-options.js';
import type { BarStore } from '../model/bar-store.js';
import type { FeedBar, FeedSink, HistorySource, LiveFeed } from '../model/live-feed.js';

export interface ReplayFeedOptions {
  store: BarStore;
  /** The session's clock: bars are played as it passes their close. Use `acceleratedClock` to play faster. */
  clock?: LiveClock;
  calendar?: MarketCalendar;
  /** How often (real ms) due bars are sent, all symbols in one frame. Default 100. */
  pollMs?: number;
}

interface Played {
  bars: Bar[] | undefined;
  cursor: number;
  subscribedAt: number;
}

/**
 * A feed that plays stored 1m bars of the clock's day as the clock passes each bar's close, for
 * paper sessions, demos and tests. Like a real feed, a symbol gets only the bars that close
 * after it was subscribed; earlier ones are history, read from the same store.
 */
export class ReplayFeed implements LiveFeed {
  readonly name = 'replay';
  readonly history: HistorySource;
  private readonly clock: LiveClock;
  private readonly calendar: MarketCalendar;
  private readonly played = new Map<string, Played>();
  private sink: FeedSink | undefined;

  constructor(private readonly options: ReplayFeedOptions) {
    this.clock = options.clock ?? wallClock;
    this.calendar = options.calendar ?? nyse;
    this.history = storeHistory(options.store);
  }

  start(sink: FeedSink): () => void {
    this.sink = sink;
    sink.status({ state: 'connected', resumed: false });
    // Nothing is subscribed yet, so everything due is sent; saying so now makes the session wait
    // for the replay at the close even if the clock gets there before the first poll.
    sink.sentThrough(this.clock.now());
    const timer = setInterval(() => this.play(), this.options.pollMs ?? 100);
    return () => {
      clearInterval(timer);
      this.sink = undefined;
      this.played.clear();
    };
  }

  subscribe(symbols: readonly string[]): void {
    const now = this.clock.now();
    const day = this.calendar.session(this.calendar.dateOf(now));
    for (const symbol of symbols) {
      const entry: Played = { bars: undefined, cursor: 0, subscribedAt: now };
      this.played.set(symbol, entry);
      if (!day) continue;
      this.options.store.getBars(symbol, '1m', Math.min(day.extendedOpen, day.open), Math.max(day.extendedClose, day.close)).then(
        (bars) => {
          entry.bars = bars;
          while (entry.cursor < bars.length && bars[entry.cursor]!.t + MINUTE_MS <= entry.subscribedAt) entry.cursor++;
        },
        (error: unknown) => {
          // Nothing to play for it: the replay's word on what it has sent must not wait for it.
          entry.bars = [];
          this.sink?.status({ state: 'warning', code: 'REPLAY_LOAD', message: `Could not read ${symbol} from the store: ${error instanceof Error ? error.message : String(error)}` });
        },
      );
    }
  }

  unsubscribe(symbols: readonly string[]): void {
    for (const symbol of symbols) this.played.delete(symbol);
  }

  private play(): void {
    const now = this.clock.now();
    const frame: FeedBar[] = [];
    let reading = false;
    for (const [symbol, entry] of this.played) {
      const { bars } = entry;
      if (!bars) {
        reading = true;
        continue;
      }
      while (entry.cursor < bars.length && bars[entry.cursor]!.t + MINUTE_MS <= now) frame.push({ ...bars[entry.cursor++]!, symbol });
    }
    if (frame.length > 0) this.sink?.bars(frame);
    // A symbol still being read from the store may yet have bars due by now.
    if (!reading) this.sink?.sentThrough(now);
  }
}
