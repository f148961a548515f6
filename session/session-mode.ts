import type { Actor, AnyStateMachine, InputFrom, SnapshotFrom } from 'xstate';
import type { MarketCalendar, TradingSession } from '../calendar/market-calendar.js';
import type { BarNotifier } from '../data-plane/bar-notifier.js';
import type { SessionDataWriter } from '../data-plane/session-data.js';
import type { StreamCounts } from '../data-plane/stream-counts.js';
import type { StreamBar } from '../model/bar.js';
import type { Logger } from '../model/logger.js';
import type { RecordedConfig, SessionRecorder, SymbolCommand } from '../model/session-recorder.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';
import type { SymbolContext, SymbolStatusChange } from '../machines/symbol-machine.js';
import type { SymbolRoster } from '../machines/symbol-roster.js';
import type { InspectionObserver, ResolvedSymbol } from './session-options.js';

/** What every session tells its observers besides bars, in either mode. */
export interface CommonEventMap {
  /** The session machine moved; `state` is the leaf state name (`streaming`, `paused`, …). */
  state: { state: string };
  /** `origin`: configured (the session's own symbols) or dynamic (added while it ran). */
  symbol: SymbolStatusChange;
  listenerError: { error: unknown; bar: StreamBar };
}

/** The types a mode fixes: its session machine, what it says of a symbol and of the day, its events and clock. */
export interface ModeTypes {
  name: 'backtest' | 'live';
  machine: AnyStateMachine;
  info: SymbolInfo;
  summary: SessionSummary;
  events: CommonEventMap;
  clock: { now(): number };
}

/** What the session summary says in either mode; the mode adds the rest. */
export type CommonSummary = Omit<SessionSummary, 'mode' | 'stopped' | 'pauses' | 'symbols'>;

/** What the one `Session` class needs of a mode: its session machine wired to its data engine. */
export interface SessionMode<T extends ModeTypes> {
  readonly name: T['name'];
  readonly machine: T['machine'];
  readonly input: InputFrom<T['machine']>;
  readonly clock: T['clock'];
  /** The leaf states in which symbols may be added and removed. */
  readonly runningStates: ReadonlySet<string>;
  /** What an add still waiting at the close never got to be (`caught up`, `loaded`). */
  readonly unfinished: string;
  roster(snapshot: SnapshotFrom<T['machine']>): SymbolRoster;
  /**
   * The statuses the symbols reported during the machine's last step, in order, where they do
   * not come as the machine's `symbol` events (a backtest's). Called after every step.
   */
  takeStatuses?(): Array<CommonEventMap['symbol']>;
  /** After `START`, `start()` resolves once this holds (or the session closed). */
  started(snapshot: SnapshotFrom<T['machine']>): boolean;
  /** Forwards the machine's mode-specific emitted events to the session's observers. */
  listen(actor: Actor<T['machine']>, notify: Notify<T['events']>): void;
  /** Called before each add or remove request is sent to the machine. */
  beforeRequest(): void;
  /** A symbol's bar counters, from the engine: the one source in either mode. */
  stats(symbol: string): StreamCounts | undefined;
  symbolInfo(base: SymbolInfo, symbol: SymbolContext): T['info'];
  summary(common: CommonSummary, symbols: Array<T['info']>, snapshot: SnapshotFrom<T['machine']>): T['summary'];
  /** The machine died without running its exits: put the data plane back on its feet. */
  afterCrash(): void;
  /**
   * Scheduled commands (a replayed journal, a plan) on a simulated clock: `holdAt` makes clock
   * steps end after that minute (`undefined`: none), `setSpeed` changes the pace from the
   * minute the clock stands at. Absent where the clock is the wall clock.
   */
  schedule?: {
    holdAt(sim: number | undefined): void;
    setSpeed(actor: Actor<T['machine']>, speed: 'max' | 'manual' | number): void;
    /** The pace the session was created with. */
    readonly speed: 'max' | 'manual' | number;
  };
  /** With `speed: 'manual'` (backtest), steps the clock; absent where the clock runs by itself. */
  advance?(actor: Actor<T['machine']>, minutes: number, settled: () => Promise<void>): Promise<void>;
  /** After the close (backtest), runs another day in the same session; absent where a session is one day. */
  nextDay?(actor: Actor<T['machine']>, tradingSession: TradingSession, symbols: ResolvedSymbol[]): void;
}

export type Notify<Events> = <K extends keyof Events>(type: K, payload: Events[K]) => void;

/** What the session builds before its mode: the data the engine writes and the notifier it delivers through. */
export interface ModeParts<Events> {
  writer: SessionDataWriter;
  notifier: BarNotifier;
  notify: Notify<Events>;
  logger: Logger;
}

/** What a session is, whatever its mode. */
export interface SessionSetup {
  tradingSession: TradingSession;
  calendar: MarketCalendar;
  logger: Logger;
  recorder: SessionRecorder | undefined;
  recordedConfig: RecordedConfig;
  resume: boolean;
  /** Commands to make at their minutes (backtest). */
  plan: ReadonlyArray<{ sim: number; command: SymbolCommand }>;
  inspect: InspectionObserver | undefined;
}
