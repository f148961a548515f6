import type { Bar, Interval } from '../../model/bar.js';
import type { BarStore } from '../../model/bar-store.js';

/** How one symbol's next load behaves. */
export type LoadScript =
  | { kind: 'ok' }
  | { kind: 'throw'; message?: string }
  | { kind: 'reject'; message?: string }
  | { kind: 'hang' }
  | { kind: 'bars'; bars: Bar[] }
  /** Held until the test calls `release(symbol)`. */
  | { kind: 'gate' };

/**
 * A bar store whose loads can be made to fail, hang, return other bars or wait for the test,
 * so tests can drive the session through every way a load can go.
 */
export class ScriptedStore implements BarStore {
  readonly days = new Map<string, Bar[]>();
  readonly scripts = new Map<string, LoadScript>();
  readonly calls: Array<{ symbol: string; interval: Interval; startMs: number; endMs: number }> = [];
  private readonly gates = new Map<string, () => void>();

  constructor(days: Record<string, Bar[]> = {}) {
    for (const [symbol, bars] of Object.entries(days)) this.days.set(symbol, bars);
  }

  script(symbol: string, script: LoadScript): this {
    this.scripts.set(symbol, script);
    return this;
  }

  /** Lets a gated load through. */
  release(symbol: string): void {
    const open = this.gates.get(symbol);
    if (!open) throw new Error(`no load of ${symbol} is waiting`);
    this.gates.delete(symbol);
    open();
  }

  isWaiting(symbol: string): boolean {
    return this.gates.has(symbol);
  }

  getBars(symbol: string, interval: Interval, startMs: number, endMs: number): Promise<Bar[]> {
    this.calls.push({ symbol, interval, startMs, endMs });
    const stored = () => (this.days.get(symbol) ?? []).filter((b) => b.t >= startMs && b.t < endMs).map((b) => ({ ...b }));
    const script = this.scripts.get(symbol) ?? { kind: 'ok' };
    switch (script.kind) {
      case 'ok':
        return Promise.resolve(stored());
      case 'throw':
        throw new Error(script.message ?? `disk on fire reading ${symbol}`);
      case 'reject':
        return Promise.reject(new Error(script.message ?? `network down loading ${symbol}`));
      case 'hang':
        return new Promise<Bar[]>(() => undefined);
      case 'bars':
        // Non-arrays pass through untouched: the session must cope with a store that answers nonsense.
        return Promise.resolve(Array.isArray(script.bars) ? script.bars.map((b) => ({ ...b })) : script.bars);
      case 'gate':
        return new Promise<Bar[]>((resolve) => this.gates.set(symbol, () => resolve(stored())));
    }
  }

  async putBars(symbol: string, _interval: Interval, bars: Bar[]): Promise<void> {
    const byT = new Map((this.days.get(symbol) ?? []).map((b) => [b.t, b]));
    for (const bar of bars) byT.set(bar.t, { ...bar });
    this.days.set(symbol, [...byT.values()].sort((a, b) => a.t - b.t));
  }
}
