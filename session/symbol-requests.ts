import type { SymbolFailure, SymbolStatus } from '../model/symbol-status.js';
import { SessionError } from '../model/session-error.js';

interface Pending<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * The promises `addSymbol` and `removeSymbol` returned, waiting on their symbol's actor: an add
 * settles when the symbol is active (or fails, or is removed first), a removal when it is gone.
 * Each call waits on its own: two removals of one symbol (graceful, then immediate) both settle.
 */
export class SymbolRequests<Info> {
  private readonly adds = new Map<string, Array<Pending<Info>>>();
  private readonly removals = new Map<string, Array<Pending<void>>>();

  add(symbol: string): Promise<Info> {
    return waitOn(this.adds, symbol);
  }

  remove(symbol: string): Promise<void> {
    return waitOn(this.removals, symbol);
  }

  /** A symbol reported `status`: settles what waits on it. `info` describes an active symbol. */
  onStatus(symbol: string, status: SymbolStatus, error: SymbolFailure | undefined, info: () => Info | undefined): void {
    if (status === 'active') {
      if (!this.adds.has(symbol)) return;
      const active = info();
      if (!active) return;
      for (const add of take(this.adds, symbol)) add.resolve(active);
      return;
    }
    if (status !== 'failed' && status !== 'removed') return;
    for (const add of take(this.adds, symbol)) {
      add.reject(
        status === 'failed'
          ? new SessionError(error?.code ?? 'LOAD_FAILED', error?.message ?? `${symbol} failed`, { symbol })
          : new SessionError('REMOVED', `${symbol} was removed before it became active.`, { symbol }),
      );
    }
    for (const removal of take(this.removals, symbol)) removal.resolve();
  }

  /** The session ended: adds still waiting fail with `STOPPED`, removals are done. */
  settleOnClose(unfinished: string): void {
    for (const [symbol, adds] of this.adds) {
      for (const add of adds) add.reject(new SessionError('STOPPED', `The session ended before ${symbol} was ${unfinished}.`, { symbol }));
    }
    for (const removals of this.removals.values()) for (const removal of removals) removal.resolve();
    this.adds.clear();
    this.removals.clear();
  }

  /** The session broke: every waiting caller hears why. */
  rejectAll(error: unknown): void {
    for (const waiting of [...this.adds.values(), ...this.removals.values()]) for (const pending of waiting) pending.reject(error);
    this.adds.clear();
    this.removals.clear();
  }
}

function waitOn<T>(waiting: Map<string, Array<Pending<T>>>, symbol: string): Promise<T> {
  const promise = new Promise<T>((resolve, reject) => {
    const list = waiting.get(symbol);
    if (list) list.push({ resolve, reject });
    else waiting.set(symbol, [{ resolve, reject }]);
  });
  // The failure is also on the symbol and in the log: a caller that does not await must not crash.
  promise.catch(() => undefined);
  return promise;
}

function take<T>(waiting: Map<string, Array<Pending<T>>>, symbol: string): Array<Pending<T>> {
  const list = waiting.get(symbol) ?? [];
  waiting.delete(symbol);
  return list;
}
