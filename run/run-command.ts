import type { Interval } from '../model/bar.js';

/**
 * An add or a removal a strategy run receives from outside the strategy (the control API, the
 * `onStart` handle, a `plan`): an add names what the strategy receives of the symbol, a removal
 * whether it flattens an open position first.
 */
export type RunSymbolCommand = { op: 'add'; symbol: string; streams: Interval[] } | { op: 'remove'; symbol: string; immediate: boolean; flatten: boolean };

/**
 * A command as the run took it: the day and the simulated minute it was made at (epoch ms). It
 * took effect at the clock step from that minute to the next, so making it again at that
 * minute of that day makes the same run.
 */
export interface RunCommand {
  date: string;
  sim: number;
  command: RunSymbolCommand;
  /** Its index among the day's commands of the run's `plan`, when it came from there. */
  planned?: number;
}

/** A command of a run's `plan`: made on `date` when the simulated clock stands at `sim`. */
export interface RunPlannedCommand {
  date: string;
  sim: number;
  command: RunSymbolCommand;
}
