import type { SymbolFailure, SymbolStatus } from '../machines/symbol-machine.js';
import { SessionError } from './session-error.js';

interface Pending<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * The promises `addSymbol` and `removeSymbol` returned, waiting on their symbol's actor: an add
 * settles when the symbol is active (or fails, or is removed first), a removal when it is gone.
 */
export class SymbolRequests<Info> {
  private readonly adds = new Map<string, Pending<Info>>();
  private readonly removals = new Map<string, Pending<void>>();

  add(symbol: string): Promise<Info> {
    const promise = new Promise<Info>((resolve, reject) => this.adds.set(symbol, { resolve, reject }));
    // The failure is also on the symbol and in the log: a caller that does not await must not crash.
    promise.catch(() => undefined);
    return promise;
  }

  remove(symbol: string): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => this.removals.set(symbol, { resolve, reject }));
    promise.catch(() => undefined);
    return promise;
  }

  /** A symbol reported `status`: settles what waits on it. `info` describes an active symbol. */
  onStatus(symbol: string, status: SymbolStatus, error: SymbolFailure | undefined, info: () => Info | undefined): void {
    const add = this.adds.get(symbol);
    if (status === 'active' && add) {
      const active = info();
      if (!active) return;
      this.adds.delete(symbol);
      add.resolve(active);
      return;
    }
    if (status !== 'failed' && status !== 'removed') return;
    add?.reject(
      status === 'failed'
        ? new SessionError(error?.code ?? 'LOAD_FAILED', error?.message ?? `${symbol} failed`, { symbol })
        : new SessionError('REMOVED', `${symbol} was removed before it became active.`, { symbol }),
    );
    this.adds.delete(symbol);
    this.removals.get(symbol)?.resolve();
    this.removals.delete(symbol);
  }

  /** The session ended: adds still waiting fail with `STOPPED`, removals are done. */
  settleOnClose(unfinished: string): void {
    for (const [symbol, add] of this.adds) add.reject(new SessionError('STOPPED', `The session ended before ${symbol} was ${unfinished}.`, { symbol }));
    for (const removal of this.removals.values()) removal.resolve();
    this.adds.clear();
    this.removals.clear();
  }

  /** The session broke: every waiting caller hears why. */
  rejectAll(error: unknown): void {
    for (const pending of [...this.adds.values(), ...this.removals.values()]) pending.reject(error);
    this.adds.clear();
    this.removals.clear();
  }
}
