import type { Interval } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';
import type { DropCounts, IntervalCounts } from '../model/counts.js';
import type { BarNotifier } from './bar-notifier.js';

/** What either engine knows of one symbol's bars: the one source of a symbol's counters. */
export interface StreamCounts {
  symbol: string;
  streams: Interval[];
  /** Bars the session did not take, by reason: from the stored day, and (live) from the feed. */
  dropped: DropCounts;
  /** Bars written silently by a catch-up (history the strategy did not see live), per interval. */
  caughtUp: IntervalCounts;
  /** Bars written and published as they came, per interval. */
  streamed: IntervalCounts;
  /** Backtest: bars the store returned for the day, valid or not. */
  received?: number;
}

/**
 * A live symbol's stream as its engine writes it: counted bar by bar, since a live series also
 * takes updated bars, and silent while it is caught up. (A backtest counts from its series.)
 */
export interface CountedStream extends StreamCounts {
  silent: boolean;
}

/**
 * Counts a bar the live engine wrote (`bars`'s bar at `index`) and publishes it: caught up while the stream is silent, else
 * streamed to the listeners. An updated bar (live) replaces one already counted.
 */
export function recordBar(notifier: BarNotifier, stream: CountedStream, interval: Interval, bars: BarColumnsView, index: number, updated: boolean): void {
  if (stream.silent) {
    stream.caughtUp[interval] = (stream.caughtUp[interval] ?? 0) + 1;
    return;
  }
  if (!updated) stream.streamed[interval] = (stream.streamed[interval] ?? 0) + 1;
  if (notifier.hasListeners) notifier.publish(stream.symbol, interval, bars, index, updated);
}

export function copyCounts({ symbol, streams, dropped, caughtUp, streamed, received }: StreamCounts): StreamCounts {
  return { symbol, streams: [...streams], dropped: { ...dropped }, caughtUp: { ...caughtUp }, streamed: { ...streamed }, ...(received === undefined ? {} : { received }) };
}
