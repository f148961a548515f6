import type { Interval } from '../model/bar.js';
import type { BarStore } from '../model/bar-store.js';
import type { IntervalCounts } from '../model/counts.js';
import type { BarWindow, DayBars } from '../data-plane/day-bars.js';
import type { LiveDataEngine } from '../data-plane/live-data-engine.js';
import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import type { HistorySource } from '../model/live-feed.js';

/** Where a backtest symbol's day comes from. */
export interface StoreSource {
  mode: 'backtest';
  store: BarStore;
  /** What to ask the store for: the exchange's whole day, so bars outside hours are seen and counted. */
  query: BarWindow;
  /** What the session keeps: regular hours, or the extended window when that option is on. */
  window: BarWindow;
  date: string;
}

/** What every history load of one live session shares. */
export interface LiveLoadPlan {
  history: HistorySource;
  calendar: MarketCalendar;
  today: TradingSession;
  /** The bars the session keeps today: regular hours, or extended. */
  window: BarWindow;
  extendedHours: boolean;
  trailingDays: number;
}

/** Where a live symbol's history comes from, and the engine it is merged into. */
export interface FeedSource {
  mode: 'live';
  engine: LiveDataEngine;
  plan: LiveLoadPlan;
}

/** Where a symbol's bars come from; the symbol chart only carries it to its mode's actors. */
export type SymbolSource = StoreSource | FeedSource;

/** What a symbol's `load` and `catchUp` actors are given. */
export interface SymbolJob {
  symbol: string;
  /** The intervals the symbol streams: a load may use stored bars no finer than the finest of them. */
  streams: readonly Interval[];
  source: SymbolSource;
}

/**
 * What a load found. `day` is handed to the session to be caught up with the others of its
 * pause (backtest); `caughtUp` says the load already wrote the symbol's history (live).
 */
export interface SymbolLoad {
  received: number;
  day?: DayBars;
  caughtUp?: IntervalCounts;
}

/** The source a mode's actor expects, or a bug report. */
export function sourceOf<M extends SymbolSource['mode']>(job: SymbolJob, mode: M): Extract<SymbolSource, { mode: M }> {
  if (job.source.mode !== mode) throw new Error(`${job.symbol} was spawned with a ${job.source.mode} source in a ${mode} session.`);
  return job.source as Extract<SymbolSource, { mode: M }>;
}
