import type { Interval, StreamBar } from '../model/bar.js';

export type BarListener = (bar: StreamBar) => void;

/**
 * A listener that takes a bar's fields as arguments: no object is built for it. For code that
 * reads a bar and keeps nothing of it (a broker, a counter), where an object per bar would be
 * most of the cost; `updated` is true when the bar replaces one delivered earlier (live).
 */
export type BarValuesListener = (symbol: string, interval: Interval, t: number, o: number, h: number, l: number, c: number, v: number, updated: boolean) => void;

/** Why notifications are off: the session's own deactivation, or the user's request. */
export type PauseReason = 'deactivated' | 'user';

type Subscriber = { bar: BarListener; values?: undefined } | { values: BarValuesListener; bar?: undefined };

/**
 * Delivers bars to `onBar` listeners. While paused, bars are dropped, not queued: whatever was
 * missed is in `SessionData` after reactivation, and replaying it would hand the strategy bars
 * out of time order. A listener that throws is reported and the others still run.
 */
export class BarNotifier {
  private subscribers: Subscriber[] = [];
  private readonly pausedBy = new Set<PauseReason>();
  dropped = 0;
  delivered = 0;
  listenerErrors = 0;

  constructor(private readonly onListenerError: (error: unknown, bar: StreamBar) => void) {}

  subscribe(listener: BarListener): () => void {
    return this.add({ bar: listener });
  }

  subscribeValues(listener: BarValuesListener): () => void {
    return this.add({ values: listener });
  }

  get hasListeners(): boolean {
    return this.subscribers.length > 0;
  }

  get paused(): boolean {
    return this.pausedBy.size > 0;
  }

  /** True when a published bar would reach at least one listener. */
  get wouldDeliver(): boolean {
    return this.pausedBy.size === 0 && this.subscribers.length > 0;
  }

  pause(reason: PauseReason = 'user'): void {
    this.pausedBy.add(reason);
  }

  resume(reason: PauseReason = 'user'): void {
    this.pausedBy.delete(reason);
  }

  /** One bar to every listener, in the order they subscribed; the object listeners share one object, built only for them. */
  publish(symbol: string, interval: Interval, t: number, o: number, h: number, l: number, c: number, v: number, updated: boolean): void {
    if (this.pausedBy.size > 0) {
      this.dropped++;
      return;
    }
    const subscribers = this.subscribers;
    let bar: StreamBar | undefined;
    for (let i = 0; i < subscribers.length; i++) {
      const subscriber = subscribers[i]!;
      try {
        if (subscriber.values) subscriber.values(symbol, interval, t, o, h, l, c, v, updated);
        else subscriber.bar((bar ??= streamBar(symbol, interval, t, o, h, l, c, v, updated)));
      } catch (error) {
        this.listenerErrors++;
        this.onListenerError(error, bar ?? streamBar(symbol, interval, t, o, h, l, c, v, updated));
      }
    }
    this.delivered++;
  }

  private add(subscriber: Subscriber): () => void {
    // Copy on write, so a listener that unsubscribes during delivery does not disturb the loop.
    this.subscribers = [...this.subscribers, subscriber];
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== subscriber);
    };
  }
}

function streamBar(symbol: string, interval: Interval, t: number, o: number, h: number, l: number, c: number, v: number, updated: boolean): StreamBar {
  return updated ? { symbol, interval, t, o, h, l, c, v, updated: true } : { symbol, interval, t, o, h, l, c, v };
}
