import type { Session } from '../session/session.js';

/** Where a running backtest is, for the progress display. */
export interface ProgressSnapshot {
  now: number;
  open: number;
  close: number;
  timeZone: string;
  /** Bars delivered to listeners per wall-clock second, over the last second or so. */
  barsPerSecond: number;
  activeSymbols: number;
  state: string;
}

/** Counts the bars a session delivers and reports progress; costs one increment per bar. */
export class ProgressMeter {
  private delivered = 0;
  private sample = { at: performance.now(), delivered: 0 };
  private rate = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly session: Session) {
    // Told where each bar is rather than given one: a bar object per bar was most of what counting cost.
    this.unsubscribe = session.onBarAt(() => {
      this.delivered++;
    });
  }

  snapshot(): ProgressSnapshot {
    const now = performance.now();
    // A rate over less than a second jumps with every clock step; over a second it reads steadily.
    if (now - this.sample.at >= 1000) {
      this.rate = ((this.delivered - this.sample.delivered) * 1000) / (now - this.sample.at);
      this.sample = { at: now, delivered: this.delivered };
    }
    const { open, close } = this.session.tradingSession;
    return {
      now: this.session.clock.now(),
      open,
      close,
      timeZone: this.session.calendar.timeZone,
      barsPerSecond: this.rate,
      activeSymbols: this.session.listSymbols().filter((s) => s.status === 'active').length,
      state: this.session.state,
    };
  }

  dispose(): void {
    this.unsubscribe();
  }
}
