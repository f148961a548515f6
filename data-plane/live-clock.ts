/** The session's notion of now in live mode: wall-clock epoch ms, injectable for tests and replays. */
export interface LiveClock {
  now(): number;
}

export const wallClock: LiveClock = { now: () => Date.now() };

/**
 * A clock that starts at `startMs` and runs `speed` times faster than real time: a replay of a
 * stored day at 60× shows a minute a second. Tests use it to run a live session in seconds.
 */
export function acceleratedClock(startMs: number, speed: number): LiveClock {
  const realStart = performance.now();
  return { now: () => Math.floor(startMs + (performance.now() - realStart) * speed) };
}
