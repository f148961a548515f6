import { fromCallback } from 'xstate';
import type { FeedBar, FeedStatus, LiveFeed } from '../model/live-feed.js';

export type FeedCommand = { type: 'SUBSCRIBE'; symbols: string[] } | { type: 'UNSUBSCRIBE'; symbols: string[] };

export interface FeedStatusEvent {
  type: 'FEED_STATUS';
  status: FeedStatus;
}

export interface LiveFeedInput {
  feed: LiveFeed;
  /** The data plane's entrance: bars go straight there, frame by frame, never through XState. */
  ingest(bars: readonly FeedBar[]): void;
  /** The feed has sent every bar closing at or before `t` (see `FeedSink.sentThrough`). */
  sentThrough(t: number): void;
  /** Subscribed as soon as the feed starts. */
  initialSymbols: string[];
}

/**
 * A live feed as an actor of the session: started when the session runs, stopped (its
 * connection closed) when it leaves. Status changes become `FEED_STATUS` events; bars bypass
 * the statechart, which sees one event per clock step, not per bar.
 */
export const liveFeedActor = fromCallback<FeedCommand, LiveFeedInput>(({ input, sendBack, receive }) => {
  const { feed, ingest, sentThrough, initialSymbols } = input;
  const stop = feed.start({
    bars: ingest,
    sentThrough,
    status: (status) => sendBack({ type: 'FEED_STATUS', status } satisfies FeedStatusEvent as never),
  });
  if (initialSymbols.length > 0) feed.subscribe(initialSymbols);
  receive((command) => {
    if (command.type === 'SUBSCRIBE') feed.subscribe(command.symbols);
    else feed.unsubscribe(command.symbols);
  });
  return stop;
});
