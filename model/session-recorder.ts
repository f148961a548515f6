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

/**
 * Where a session writes down what happens to it (`SessionJournal` writes a lowdb file). The
 * session calls these synchronously and never waits on them: a slow disk must not stall a
 * clock step. `flush` is awaited once, when the session closes.
 */
export interface SessionRecorder {
  recordConfig(config: RecordedConfig): void;
  recordTransition(state: string, at: { sim: number; wall: number }): void;
  recordSymbol(entry: RecordedSymbol): void;
  /** Dynamic symbols that were live when an earlier run stopped: `resume` adds them again. */
  resumableSymbols(): Array<{ symbol: string; streams: Interval[] }>;
  flush(): Promise<void>;
}
