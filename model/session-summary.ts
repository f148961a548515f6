import type { IntervalCounts, DropCounts } from './counts.js';
import type { Interval } from './bar.js';
import type { PauseRecord } from './pause-record.js';
import type { SymbolFailure, SymbolStatus } from './symbol-status.js';

/** One symbol as the session knows it: where it came from, where it is, and what it moved. */
export interface SymbolInfo {
  symbol: string;
  origin: 'configured' | 'dynamic';
  status: SymbolStatus;
  streams: Interval[];
  /** When it was added: simulated and wall-clock epoch ms. */
  addedAt: { sim: number; wall: number };
  /** Bars the store returned for the day. */
  loaded: number;
  dropped: DropCounts;
  caughtUp: IntervalCounts;
  streamed: IntervalCounts;
  error?: SymbolFailure;
}

export interface SessionSummary {
  mode: 'backtest' | 'live';
  date: string;
  open: number;
  close: number;
  /** Simulated time when the session ended (the close, unless stopped early). */
  endedAt: number;
  stopped: boolean;
  symbols: SymbolInfo[];
  /** Bars dropped for falling outside the session's hours, all symbols. */
  droppedOutsideHours: number;
  /** Symbols added while the session ran, in request order (repeats if added again). */
  added: string[];
  removed: string[];
  pauses: PauseRecord[];
  notifications: { delivered: number; dropped: number; listenerErrors: number };
}
