import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import type { Interval } from '../model/bar.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';
import type { DynamicSymbolInfo, Session } from '../session/session.js';
import type { RunSession } from './strategy.js';

/**
 * A run as code outside the strategy reaches it while it goes — the control API of
 * `tapedeck backtest --strategy`, an embedder: the session of the day that runs, with adds and
 * removals made through the run, so they carry to the following days and a removal of a symbol
 * with an open position is refused (`POSITION_OPEN`) unless `flatten: true`, as for the strategy.
 */
export class RunningBacktest {
  readonly mode = 'backtest' as const;

  constructor(
    private readonly session: Session,
    private readonly run: () => RunSession,
  ) {}

  get tradingSession(): TradingSession {
    return this.session.tradingSession;
  }

  get calendar(): MarketCalendar {
    return this.session.calendar;
  }

  get clock(): { now(): number } {
    return this.session.clock;
  }

  get state(): string {
    return this.session.state;
  }

  get isRunning(): boolean {
    return this.session.isRunning;
  }

  summary(): SessionSummary {
    return this.session.summary();
  }

  listSymbols(): SymbolInfo[] {
    return this.session.listSymbols();
  }

  addSymbol(symbol: string, options: { streams?: Interval[] } = {}): Promise<DynamicSymbolInfo> {
    return this.run().addSymbol(symbol, options);
  }

  removeSymbol(symbol: string, options: { immediate?: boolean; flatten?: boolean } = {}): Promise<void> {
    return this.run().removeSymbol(symbol, options);
  }
}
