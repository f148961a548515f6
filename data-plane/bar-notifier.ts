import type { Interval, StreamBar } from '../model/bar.js';
import type { BarColumnsView } from '../model/bar-columns-view.js';

export type BarListener = (bar: StreamBar) => void;

/**
 * A listener told where a bar is: `bars`'s bar at `index`, the series the session wrote it to,
 * to be read during the call (the series is the session's, read-only). No object is built for
 * it, and no number boxed: fields handed as arguments to a call that is not inlined are boxed,
 * one allocation each. For code that reads a bar and keeps nothing of it (a broker, a counter);
 * `updated` is true when the bar replaces one delivered earlier (live).
 */
export type BarAtListener = (symbol: string, interval: Interval, bars: BarColumnsView, index: number, updated: boolean) => void;

/** Why notifications are off: the session's own deactivation, or the user's request. */
export type PauseReason = 'deactivated' | 'user';

type Subscriber = { bar: BarListener; at?: undefined } | { at: BarAtListener; bar?: undefined };

/**
 * Delivers bars to `onBar` listeners. While paused, bars are dropped, not queued: whatever was
 * missed is in `SessionData` after reactivation, and replaying it would hand the strategy bars
 * out of time order. A listener that throws is reported and the others still run.
 */
export class BarNotifier {
  private subscribers: Subscriber[] = [];
  /**
   * `subscribers.length`, kept as a number: it is read for every bar, and an empty array has
   * another map than one holding a listener, so reading the array's length deoptimized the
   * engine's loop whenever it met the other kind (at each new session of a process).
   */
  private listening = 0;
  private readonly pausedBy = new Set<PauseReason>();
  dropped = 0;
  delivered = 0;
  listenerErrors = 0;

  constructor(private readonly onListenerError: (error: unknown, bar: StreamBar) => void) {}

  subscribe(listener: BarListener): () => void {
    return this.add({ bar: listener });
  }

  subscribeAt(listener: BarAtListener): () => void {
    return this.add({ at: listener });
  }

  get hasListeners(): boolean {
    return this.listening > 0;
  }

  get paused(): boolean {
    return this.pausedBy.size > 0;
  }

  /** True when a published bar would reach at least one listener. */
  get wouldDeliver(): boolean {
    return this.pausedBy.size === 0 && this.listening > 0;
  }

  pause(reason: PauseReason = 'user'): void {
    this.pausedBy.add(reason);
  }

  resume(reason: PauseReason = 'user'): void {
    this.pausedBy.delete(reason);
  }

  /**
   * `bars`'s bar at `index` to every listener, in the order they subscribed; the object
   * listeners share one object, built only for them.
   */
  publish(symbol: string, interval: Interval, bars: BarColumnsView, index: number, updated: boolean): void {
    if (this.pausedBy.size > 0) {
      this.dropped++;
      return;
    }
    const subscribers = this.subscribers;
    let bar: StreamBar | undefined;
    for (let i = 0; i < subscribers.length; i++) {
      const subscriber = subscribers[i]!;
      try {
        if (subscriber.at) subscriber.at(symbol, interval, bars, index, updated);
        else subscriber.bar((bar ??= streamBar(symbol, interval, bars, index, updated)));
      } catch (error) {
        this.listenerErrors++;
        this.onListenerError(error, bar ?? streamBar(symbol, interval, bars, index, updated));
      }
    }
    this.delivered++;
  }

  private add(subscriber: Subscriber): () => void {
    // Copy on write, so a listener that unsubscribes during delivery does not disturb the loop.
    this.subscribers = [...this.subscribers, subscriber];
    this.listening = this.subscribers.length;
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== subscriber);
      this.listening = this.subscribers.length;
    };
  }
}

function streamBar(symbol: string, interval: Interval, bars: BarColumnsView, i: number, updated: boolean): StreamBar {
  const bar: StreamBar = { symbol, interval, t: bars.t[i]!, o: bars.o[i]!, h: bars.h[i]!, l: bars.l[i]!, c: bars.c[i]!, v: bars.v[i]! };
  if (updated) bar.updated = true;
  return bar;
}
