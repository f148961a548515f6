import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import type { Interval } from '../model/bar.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';
import type { DynamicSymbolInfo, Session } from '../session/session.js';
import type { RunSymbolCommand } from './run-command.js';

/**
 * A run as code outside the strategy reaches it while it goes — the control API of
 * `tapedeck backtest --strategy`, an embedder: the session of the day that runs, with adds and
 * removals made through the run, so they carry to the following days and a removal of a symbol
 * with an open position is refused (`POSITION_OPEN`) unless `flatten: true`, as for the strategy.
 * Each command it accepts is journaled with its day and minute (`runBacktest({ onCommand })`).
 */
export class RunningBacktest {
  readonly mode = 'backtest' as const;

  constructor(
    private readonly session: Session,
    /** Makes the command through the run, which journals it when it is journaled. */
    private readonly make: (command: RunSymbolCommand) => Promise<unknown>,
    /** What an add without `streams` delivers: the strategy's streams. */
    private readonly streams: readonly Interval[],
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
    return this.make({ op: 'add', symbol, streams: [...(options.streams ?? this.streams)] }) as Promise<DynamicSymbolInfo>;
  }

  removeSymbol(symbol: string, options: { immediate?: boolean; flatten?: boolean } = {}): Promise<void> {
    return this.make({ op: 'remove', symbol, immediate: options.immediate ?? false, flatten: options.flatten ?? false }) as Promise<void>;
  }
}
