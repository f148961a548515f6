import { fromCallback } from 'xstate';

export interface LiveTickEvent {
  type: 'TICK';
}

/**
 * Sends the live session a `TICK` every `tickMs` of real time. The clock itself is the wall
 * clock (or an injected one); ticks only give the session a moment to finish derived buckets,
 * release drained symbols and notice the open and the close.
 */
export const liveClockActor = fromCallback<{ type: 'NONE' }, { tickMs: number }>(({ input, sendBack }) => {
  const timer = setInterval(() => sendBack({ type: 'TICK' } satisfies LiveTickEvent as never), input.tickMs);
  return () => clearInterval(timer);
});
