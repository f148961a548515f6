import type { Interval } from './bar.js';
import type { SymbolFailure, SymbolStatus } from './symbol-status.js';

/** A session's configuration as it is written down, for other processes and for `resume`. */
export interface RecordedConfig {
  mode: 'backtest' | 'live';
  date: string;
  calendar: string;
  /** A backtest's speed; a live session runs on its clock and records none. */
  speed?: number | 'max' | 'manual';
  extendedHours: boolean;
  symbols: Array<{ symbol: string; streams: Interval[] }>;
}

/** A dynamically added symbol, as last reported. Times are epoch ms, simulated and wall clock. */
export interface RecordedSymbol {
  symbol: string;
  status: SymbolStatus;
  streams: Interval[];
  addedAt: { sim: number; wall: number };
  updatedAt: { sim: number; wall: number };
  error?: SymbolFailure;
}

/** A request as the session took it: an add (or an add again after a removal), or a removal. */
export type SymbolCommand = { op: 'add'; symbol: string; streams: Interval[] } | { op: 'remove'; symbol: string; immediate: boolean };

/**
 * A command and the simulated minute at which it was made (epoch ms): it took effect at the
 * clock step from that minute to the next, whatever the speed, so making it again at that
 * minute makes the same run.
 */
export interface RecordedCommand {
  sim: number;
  command: SymbolCommand;
  /** The index of the command in a plan given to the session, when it came from one. */
  planned?: number;
}

/** What an earlier, interrupted run of the same session left to replay. */
export interface SessionReplay {
  commands: RecordedCommand[];
  /** The last simulated minute the earlier run reached (epoch ms). */
  reached: number;
}

/**
 * Where a session writes down what happens to it (`SessionJournal` appends to a file). The
 * session calls these synchronously and never waits on them: a slow disk must not stall a
 * clock step. `flush` is awaited once, when the session closes.
 */
export interface SessionRecorder {
  /**
   * Records the configuration as the session starts. When the recorder was opened to resume an
   * earlier run, checks that run was of this configuration (throws if not) and returns what
   * to replay.
   */
  begin(config: RecordedConfig): SessionReplay | undefined;
  recordCommand(command: RecordedCommand): void;
  /** The simulated clock reached `sim`. */
  recordProgress(sim: number): void;
  recordTransition(state: string, at: { sim: number; wall: number }): void;
  recordSymbol(entry: RecordedSymbol): void;
  flush(): Promise<void>;
}
