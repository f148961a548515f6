import type { MarketCalendar } from '../calendar/market-calendar.js';
import type { LiveClock } from '../data-plane/live-clock.js';
import { LiveDataEngine } from '../data-plane/live-data-engine.js';
import type { FeedStatus } from '../model/live-feed.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';
import type { SymbolFailure } from '../model/symbol-status.js';
import { liveSessionMachine, type FeedReport, type LivePlan } from '../machines/live-session-machine.js';
import { symbolStatus } from '../machines/symbol-machine.js';
import type { CommonEventMap, ModeParts, SessionMode } from './session-mode.js';
import type { ResolvedLiveOptions } from './live-session-options.js';

export interface LiveSymbolInfo extends SymbolInfo {
  /** 1m bars restored by gap fills, and how many fills ran. */
  filled: number;
  gapFills: number;
  /** Bars replaced by updated bars. */
  updated: number;
  /** Why the last gap fill failed, if it did (the symbol streams on). */
  fillError?: SymbolFailure;
}

export interface LiveSessionSummary extends SessionSummary {
  mode: 'live';
  symbols: LiveSymbolInfo[];
  endedBy: 'close' | 'stop' | 'feedFailed' | undefined;
  feed: Omit<FeedReport, 'downSince'> & { droppedUnsubscribed: number };
}

export interface LiveSessionEventMap extends CommonEventMap {
  feed: FeedStatus;
}

export interface LiveTypes {
  name: 'live';
  machine: typeof liveSessionMachine;
  info: LiveSymbolInfo;
  summary: LiveSessionSummary;
  events: LiveSessionEventMap;
  clock: LiveClock;
}

const RUNNING_STATES = new Set(['waitingForOpen', 'streaming']);

/**
 * The live plug-in: the wall clock (or an injected one), bars from a feed, symbols added and
 * removed while it runs without ever pausing the others.
 */
export function liveMode(options: ResolvedLiveOptions, calendar: MarketCalendar) {
  return ({ writer, notifier, notify, logger }: ModeParts<LiveSessionEventMap>): SessionMode<LiveTypes> => {
    const { open, close, extendedOpen, extendedClose } = options.tradingSession;
    const window = options.extendedHours ? { open: extendedOpen, close: extendedClose } : { open, close };
    const engine = new LiveDataEngine(window, open, options.clock, writer, notifier, { graceMs: options.barGraceMs, trailingDays: options.trailingDays });
    const plan: LivePlan = {
      feed: options.feed,
      tickMs: options.tickMs,
      configured: options.symbols,
      load: { history: options.history, calendar, today: options.tradingSession, window, extendedHours: options.extendedHours, trailingDays: options.trailingDays },
    };
    return {
      name: 'live',
      machine: liveSessionMachine,
      input: { engine, plan },
      clock: options.clock,
      runningStates: RUNNING_STATES,
      unfinished: 'loaded',
      roster: (snapshot) => snapshot.context.symbols,
      // Every configured symbol active or failed.
      started: (snapshot) => Object.values(snapshot.context.symbols).every((entry) => !['queued', 'loading'].includes(symbolStatus(entry.ref))),
      listen: (actor) =>
        actor.on('feed', ({ status }) => {
          if (status.state === 'failed') logger.error(`tapedeck: the ${options.feed.name} feed failed (${status.code}): ${status.message}`);
          notify('feed', status);
        }),
      beforeRequest: () => undefined,
      stats: (symbol) => engine.stats(symbol),
      symbolInfo: (base, context) => {
        const stats = engine.stats(base.symbol);
        return {
          ...base,
          filled: stats?.filled ?? 0,
          gapFills: context.gapFills,
          updated: stats?.updated ?? 0,
          ...(context.fillError ? { fillError: context.fillError } : {}),
        };
      },
      summary: (common, symbols, snapshot) => {
        const { feed, endedBy } = snapshot.context;
        const { downSince: _, ...report } = feed;
        return {
          ...common,
          mode: 'live',
          stopped: endedBy === 'stop' || endedBy === 'feedFailed',
          endedBy,
          symbols,
          // A live session never pauses as a whole: catch-ups hide one symbol at a time.
          pauses: [],
          feed: { ...report, warnings: [...report.warnings], droppedUnsubscribed: engine.droppedUnsubscribed },
        };
      },
      afterCrash: () => undefined,
    };
  };
}
