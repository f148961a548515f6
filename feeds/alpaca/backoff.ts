/** Reconnect delays: exponential from `baseMs` up to `maxMs`, with jitter so many clients do not retry in step. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** After a 406 (connection limit): the service keeps refusing for up to ~90 s after a drop. */
  connectionLimitMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000, connectionLimitMs: 30_000 };

/** The delay before reconnect attempt `attempt` (0-based): between half and all of the capped exponential step. */
export function backoffDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step * (0.5 + random() * 0.5));
}

/** After a 406 the wait starts at `connectionLimitMs` and doubles, up to four times that. */
export function connectionLimitDelay(refusals: number, { connectionLimitMs }: BackoffOptions, random: () => number = Math.random): number {
  const step = connectionLimitMs * 2 ** Math.min(Math.max(refusals - 1, 0), 2);
  return Math.round(step * (0.75 + random() * 0.25));
}
