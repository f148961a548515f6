import type { Interval } from '../model/bar.js';
import type { BarStore } from '../model/bar-store.js';
import type { BarWindow } from '../data-plane/day-bars.js';
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

/** What a live symbol's load did, once it wrote the symbol's history: the bars it received. */
export interface SymbolLoad {
  received: number;
}

/** The source a mode's actor expects, or a bug report. */
export function sourceOf<M extends SymbolSource['mode']>(job: SymbolJob, mode: M): Extract<SymbolSource, { mode: M }> {
  if (job.source.mode !== mode) throw new Error(`${job.symbol} was spawned with a ${job.source.mode} source in a ${mode} session.`);
  return job.source as Extract<SymbolSource, { mode: M }>;
}
