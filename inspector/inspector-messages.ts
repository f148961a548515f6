import type { Interval } from '../model/bar.js';
import type { SymbolFailure, SymbolStatus } from '../model/symbol-status.js';
import type { SymbolInfo } from '../model/session-summary.js';

// What the inspector page receives over Server-Sent Events: one `init` when it connects, then an
// `update` at most every few hundred milliseconds with only what changed. Times are epoch ms;
// `sim` is the session's simulated clock, `wall` the real one.

export interface SessionStateView {
  /** The leaf state, e.g. `streaming`, `paused`, `closed`. */
  leaf: string;
  /** Ids of the active states in the session diagram, outermost first. */
  active: string[];
}

/** A symbol as the page shows it: the session's `SymbolInfo`, its dropped bars as one count. */
export interface SymbolCard extends Omit<SymbolInfo, 'dropped'> {
  /** Bars of the day that were not kept (outside hours, invalid), all reasons together. */
  dropped: number;
}

/** A symbol actor entered a state: every step is sent, so a page sees `loading` even when it lasted a millisecond. */
export interface StatusStep {
  symbol: string;
  status: SymbolStatus;
  sim: number;
  wall: number;
  error?: SymbolFailure;
}

/** The transitions of an actor's latest macrostep, as edge ids of its machine's diagram. */
export interface TransitionMark {
  machine: 'session' | 'symbol';
  /** For symbol actors: which symbol. */
  symbol?: string;
  edges: string[];
}

export interface LogEntry {
  wall: number;
  sim: number;
  /** `session`, a symbol (`TSLA`), or `state` for the session entering a state. */
  actor: string;
  event: string;
  /** The event's scalar fields, e.g. `symbol=TSLA status=loading`. */
  detail?: string;
  /** Who sent it: `session`, a symbol, an invoked actor (`clock`, `catchUp`), or nothing for calls from outside. */
  from?: string;
  /** Identical events in a row are one entry. */
  count?: number;
}

/** New closes of a symbol's chart: `closes[i]` is bar `from + i`. `from: 0` replaces the chart. */
export interface ChartUpdate {
  symbol: string;
  interval: Interval;
  from: number;
  closes: number[];
}

export interface PauseView {
  count: number;
  totalMs: number;
  maxMs: number;
  lastMs?: number;
  /** The pause in progress, if the session is deactivated now. */
  open?: { reason: 'start' | 'add'; simTime: number; startedAt: number; symbols: string[] };
}

export interface InitMessage {
  session: { date: string; mode: string; calendar: string; timeZone: string; open: number; close: number };
  /** How the page's add/remove requests reach the session: the control server's API, or the same routes in this process. */
  control: 'control-server' | 'in-process';
  clock: number;
  wall: number;
  state: SessionStateView;
  pauses: PauseView;
  symbols: SymbolCard[];
}

export interface UpdateMessage {
  clock: number;
  wall: number;
  state?: SessionStateView;
  steps?: StatusStep[];
  /** Cards whose content changed. */
  symbols?: SymbolCard[];
  transitions?: TransitionMark[];
  log?: LogEntry[];
  /** Log entries left out of this update to keep it small (a fast replay sends thousands of events a second). */
  skipped?: number;
  /** Closes for the price charts; the first update after a page connects starts every chart from bar 0. */
  charts?: ChartUpdate[];
  pauses?: PauseView;
}
