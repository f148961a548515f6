/** One pause of a backtest's stream: at the start, or to catch up added symbols. */
export interface PauseRecord {
  reason: 'start' | 'add';
  /** The simulated time the clock stood still at. */
  simTime: number;
  /** Wall-clock epoch ms when the pause began. */
  startedAt: number;
  /** How long the stream was paused, wall-clock ms (deactivate → reactivate). */
  durationMs: number;
  symbols: string[];
}
