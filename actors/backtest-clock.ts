import { fromCallback } from 'xstate';

/** How fast a backtest runs: as fast as possible, simulated seconds per real second, or by hand. */
export type BacktestSpeed = 'max' | 'manual' | number;

export interface BacktestClockInput {
  speed: BacktestSpeed;
  /** At `speed: 'max'`, how many simulated minutes one tick covers. */
  maxBatchMinutes: number;
  /** Minutes of a step that arrived while adds were pending: taken first, once the adds are caught up. */
  owedMinutes: number;
}

export interface TickEvent {
  type: 'TICK';
  minutes: number;
  /** Set on the step that pays back `owedMinutes`. */
  owed?: boolean;
}

/**
 * Drives the simulated clock by sending the session one `TICK` per clock step. It is invoked
 * by the `streaming` state only, so leaving that state (to catch a symbol up) stops it: the
 * clock cannot move while the session is deactivated. With `speed: 'manual'` it only pays back
 * owed minutes; the caller steps the clock with `session.advance`.
 *
 * At a numeric speed the minutes due are computed from real time elapsed since the clock
 * (re)started, so timer jitter never accumulates into drift.
 */
export const backtestClock = fromCallback<{ type: 'NONE' }, BacktestClockInput>(({ sendBack, input }) => {
  const { speed, maxBatchMinutes, owedMinutes } = input;
  // Sent from here rather than taken in the transition back to `streaming`, so the step runs
  // in its own macrostep: a listener reading `session.state` during it sees `streaming`.
  if (owedMinutes > 0) sendBack({ type: 'TICK', minutes: owedMinutes, owed: true } satisfies TickEvent as never);
  if (speed === 'manual') return undefined;
  let stopped = false;
  if (speed === 'max') {
    // setImmediate, not a tight loop: other work (an addSymbol call, a control request) gets a turn between steps.
    const tick = () => {
      if (stopped) return;
      sendBack({ type: 'TICK', minutes: maxBatchMinutes } satisfies TickEvent as never);
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
      sendBack({ type: 'TICK', minutes } satisfies TickEvent as never);
    }
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
