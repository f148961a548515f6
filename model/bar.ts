/** One OHLCV bar. `t` is the bar's open time in epoch ms; a bar covers `[t, t + interval)`. */
export interface Bar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/** The intervals a session can stream. `1m` is stored; the others are derived from it. */
export type Interval = '1m' | '5m' | '15m' | '30m' | '1h';

export const INTERVALS: readonly Interval[] = ['1m', '5m', '15m', '30m', '1h'];

export const MINUTE_MS = 60_000;

export const INTERVAL_MS: Readonly<Record<Interval, number>> = {
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
};

export function isInterval(value: unknown): value is Interval {
  return typeof value === 'string' && (INTERVALS as readonly string[]).includes(value);
}

/** A bar as listeners receive it: which symbol and interval it belongs to. */
export interface StreamBar extends Bar {
  symbol: string;
  interval: Interval;
  /** Set when the bar replaces one delivered earlier with the same `t` (live updated bars). */
  updated?: boolean;
}
