import type { StreamBar } from '../model/bar.js';

export type BarListener = (bar: StreamBar) => void;

/** Why notifications are off: the session's own deactivation, or the user's request. */
export type PauseReason = 'deactivated' | 'user';

/**
 * Delivers bars to `onBar` listeners. While paused, bars are dropped, not queued: whatever was
 * missed is in `SessionData` after reactivation, and replaying it would hand the strategy bars
 * out of time order. A listener that throws is reported and the others still run.
 */
export class BarNotifier {
  private listeners: BarListener[] = [];
  private readonly pausedBy = new Set<PauseReason>();
  dropped = 0;
  delivered = 0;
  listenerErrors = 0;

  constructor(private readonly onListenerError: (error: unknown, bar: StreamBar) => void) {}

  subscribe(listener: BarListener): () => void {
    // Copy on write, so a listener that unsubscribes during delivery does not disturb the loop.
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  get paused(): boolean {
    return this.pausedBy.size > 0;
  }

  /** True when a published bar would reach at least one listener. */
  get wouldDeliver(): boolean {
    return this.pausedBy.size === 0 && this.listeners.length > 0;
  }

  pause(reason: PauseReason = 'user'): void {
    this.pausedBy.add(reason);
  }

  resume(reason: PauseReason = 'user'): void {
    this.pausedBy.delete(reason);
  }

  publish(bar: StreamBar): void {
    if (this.pausedBy.size > 0) {
      this.dropped++;
      return;
    }
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(bar);
      } catch (error) {
        this.listenerErrors++;
        this.onListenerError(error, bar);
      }
    }
    this.delivered++;
  }
}
