import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import type { Interval } from '../model/bar.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';

/** What the control API needs of a session: a backtest `Session`, a `LiveSession` and a strategy run's `RunningBacktest` each are one. */
export interface ControlledSession {
  readonly mode: 'backtest' | 'live';
  readonly tradingSession: TradingSession;
  readonly calendar: MarketCalendar;
  readonly clock: { now(): number };
  readonly state: string;
  readonly isRunning: boolean;
  summary(): SessionSummary;
  listSymbols(): SymbolInfo[];
  addSymbol(symbol: string, options?: { streams?: Interval[] }): Promise<unknown>;
  /** `flatten`: a strategy run closes the symbol's position first (otherwise it refuses with `POSITION_OPEN`); a plain session holds no positions. */
  removeSymbol(symbol: string, options?: { immediate?: boolean; flatten?: boolean }): Promise<void>;
}
