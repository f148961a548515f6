import type { Bar } from './bar.js';

/** A 1m bar as a feed delivers it. `updated` marks a correction of a bar sent earlier (same `t`). */
export interface FeedBar extends Bar {
  symbol: string;
  updated?: boolean;
}

/** What a feed reports about its connection. Only `failed` ends a session. */
export type FeedStatus =
  | { state: 'connecting'; attempt: number }
  /** `resumed`: this connection replaces one that dropped, so bars may have been missed. */
  | { state: 'connected'; resumed: boolean }
  | { state: 'disconnected'; reason: string; retryInMs: number }
  /** Something the service refused that does not end the feed (symbol limit, bad request). */
  | { state: 'warning'; code: string; message: string }
  /** The feed cannot go on (bad credentials, auth timeout): the session closes. */
  | { state: 'failed'; code: string; message: string }
  /**
   * The service confirmed symbols subscribed while connected. A feed whose subscriptions take
   * effect later than `subscribe` reports this: bars that closed in between reached no one.
   */
  | { state: 'subscribed'; symbols: string[] };

/** Where a feed hands what it receives: bars in frames as they come (never one event per bar), and status. */
export interface FeedSink {
  bars(bars: readonly FeedBar[]): void;
  status(status: FeedStatus): void;
  /**
   * A feed that knows it has sent every bar closing at or before `t` says so: a replay, which
   * plays stored bars by the session's clock. The session then closes only once the feed has
   * played past the close, however late its timers ran; other feeds have the grace alone. A
   * feed that says it says so from `start` on.
   */
  sentThrough(t: number): void;
}

/** Past 1m bars, for a symbol added mid-day (trailing days and today so far) and for gap fill. */
export interface HistorySource {
  /** 1m bars with `startMs <= t < endMs`, sorted by `t`. */
  getBars(symbol: string, startMs: number, endMs: number): Promise<Bar[]>;
}

/**
 * A source of live 1m bars. The session starts it once, subscribes and unsubscribes symbols as
 * they are added and removed, and calls the returned function when it closes.
 */
export interface LiveFeed {
  readonly name: string;
  /** Where missed and earlier bars come from; the session's `store` when absent. */
  readonly history?: HistorySource;
  start(sink: FeedSink): () => void;
  subscribe(symbols: readonly string[]): void;
  unsubscribe(symbols: readonly string[]): void;
}
