import type { IntervalCounts, DropCounts } from '../model/counts.js';
import type { Interval } from '../model/bar.js';
import type { SymbolFailure, SymbolStatus } from '../model/symbol-status.js';

// The JSON documents of the control API. Times are ISO strings (UTC); the exchange's time zone
// comes along so that clients can show exchange-local times.

export type SessionMode = 'backtest' | 'live';

/** A simulated (`sim`) and a wall-clock (`wall`) instant. */
export interface TimePair {
  sim: string;
  wall: string;
}

export interface SymbolView {
  symbol: string;
  origin: 'configured' | 'dynamic';
  status: SymbolStatus;
  streams: Interval[];
  addedAt: TimePair;
  loaded: number;
  dropped: DropCounts;
  caughtUp: IntervalCounts;
  streamed: IntervalCounts;
  error?: SymbolFailure;
}

export interface DynamicSymbolView {
  symbol: string;
  status: SymbolStatus;
  streams: Interval[];
  addedAt: TimePair;
  error?: SymbolFailure;
}

/** `GET /v1/status` */
export interface StatusReport {
  pid: number;
  mode: SessionMode;
  date: string;
  calendar: string;
  timeZone: string;
  /** The session machine's state: `starting`, `streaming`, `paused`, `catchingUp`, `reactivating`, `closing`, `closed`. */
  state: string;
  running: boolean;
  clock: { ms: number; iso: string };
  hours: { open: string; close: string; early: boolean };
  /** Every symbol but the failed ones past the last `failures.listed`. */
  symbols: SymbolView[];
  failures: FailureCount;
  pauses: { count: number; totalMs: number; maxMs: number };
  notifications: { delivered: number; dropped: number; listenerErrors: number };
}

/** Failed symbols in the session, and how many of them (the last added) the status lists. */
export interface FailureCount {
  total: number;
  listed: number;
}

/** `GET /v1/symbols/dynamic` */
export interface DynamicReport {
  mode: SessionMode;
  date: string;
  timeZone: string;
  symbols: DynamicSymbolView[];
}

/** `POST /v1/symbols` body. */
export interface AddSymbolRequest {
  symbol: string;
  streams?: Interval[];
  /** Answer once the symbol is active or failed, not when it is queued. */
  wait?: boolean;
}

/** `POST /v1/symbols` answer: 202 when queued, 200 with the outcome when `wait` was set. */
export interface AddSymbolReport {
  mode: SessionMode;
  symbol: string;
  streams: Interval[];
  status: SymbolStatus;
  waited: boolean;
  /** Bars written while catching up, per interval (after a wait). */
  caughtUp?: IntervalCounts;
  error?: SymbolFailure;
}

export interface RemoveSymbolRequest {
  symbol: string;
  immediate?: boolean;
  wait?: boolean;
  /** In a strategy run: close the symbol's position at the last close instead of refusing with POSITION_OPEN. */
  flatten?: boolean;
}

/** `DELETE /v1/symbols/{symbol}` answer: 202 when marked, 200 once removed when `wait` was set. */
export interface RemoveSymbolReport {
  mode: SessionMode;
  symbol: string;
  immediate: boolean;
  /** The status when the removal was asked for: a symbol still loading is cancelled, not drained. */
  previousStatus: SymbolStatus;
  status: SymbolStatus;
  waited: boolean;
}

/** Every non-2xx answer. */
export interface ErrorBody {
  error: { code: string; message: string };
}
