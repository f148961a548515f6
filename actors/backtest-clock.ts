import { fromCallback } from 'xstate';

/** How fast a backtest runs: as fast as possible, simulated seconds per real second, or by hand. */
export type BacktestSpeed = 'max' | 'manual' | number;

export interface BacktestClockInput {
  speed: BacktestSpeed;
}

/** Clears the clock to run `minutes` further than it was already cleared to. */
export interface AdvanceEvent {
  type: 'ADVANCE';
  minutes: number;
}

/** Take a clock step toward the time the clock is cleared to. */
export interface TickEvent {
  type: 'TICK';
}

/**
 * Paces the simulated clock. It is invoked by the `streaming` state only, so leaving that state
 * (to catch a symbol up) stops it: the clock cannot move while the session is deactivated.
 *
 * It never says how many minutes a step covers: the session steps toward the time the clock is
 * cleared to (the close at `'max'`; what `ADVANCE` added at a numeric speed or by hand), and
 * ends a step early when a request is waiting. Pacing can then change how steps are cut, never
 * what happens at each minute. With `speed: 'manual'` it does nothing: `session.advance` steps.
 *
 * At a numeric speed the minutes due are computed from real time elapsed since the clock
 * (re)started, so timer jitter never accumulates into drift.
 */
export const backtestClock = fromCallback<{ type: 'NONE' }, BacktestClockInput>(({ sendBack, input }) => {
  const { speed } = input;
  if (speed === 'manual') return undefined;
  let stopped = false;
  if (speed === 'max') {
    // setImmediate, not a tight loop: what a step set off (an add's `.then`, a control request)
    // gets its turn before the next step, at the minute it was made in.
    const tick = () => {
      if (stopped) return;
      sendBack({ type: 'TICK' } satisfies TickEvent as never);
      handle = setImmediate(tick);
    };
    let handle = setImmediate(tick);
    return () => {
      stopped = true;
      clearImmediate(handle);
    };
  }
  const msPerMinute = 60_000 / speed;
  const startedAt = performance.now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const due = Math.floor((performance.now() - startedAt) / msPerMinute);
    if (due > sent) {
      const minutes = due - sent;
      sent = due;
      sendBack({ type: 'ADVANCE', minutes } satisfies AdvanceEvent as never);
    }
    // Also when nothing new is due: a step that ended early for a request owes the rest.
    sendBack({ type: 'TICK' } satisfies TickEvent as never);
    if (stopped) return;
    const nextAt = startedAt + (sent + 1) * msPerMinute;
    timer = setTimeout(schedule, Math.max(1, nextAt - performance.now()));
  };
  timer = setTimeout(schedule, msPerMinute);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
});
