import type { Actor } from 'xstate';
import { BacktestDataEngine } from '../data-plane/backtest-data-engine.js';
import type { BarStore } from '../model/bar-store.js';
import type { PauseRecord } from '../model/pause-record.js';
import type { SessionSummary, SymbolInfo } from '../model/session-summary.js';
import { leafState } from '../machines/leaf-state.js';
import { sessionMachine, type RequestInbox, type SessionEmitted, type SessionPlan } from '../machines/session-machine.js';
import type { SymbolReport } from '../machines/symbol-machine.js';
import type { CommonEventMap, ModeParts, SessionMode } from './session-mode.js';
import type { ResolvedOptions, ResolvedSymbol } from './session-options.js';
import type { TradingSession } from '../calendar/market-calendar.js';

/** What a backtest tells its observers besides bars. */
export interface SessionEventMap extends CommonEventMap {
  pause: SessionEmitted & { type: 'pause' };
}

export interface BacktestTypes {
  name: 'backtest';
  machine: typeof sessionMachine;
  info: SymbolInfo;
  summary: SessionSummary;
  events: SessionEventMap;
  clock: { now(): number };
}

const RUNNING_STATES = new Set(['starting', 'streaming', 'paused', 'catchingUp', 'reactivating']);

/** The backtest plug-in: the session machine with its pause/catch-up region, on the simulated clock and stored bars. */
export function backtestMode(options: ResolvedOptions, store: BarStore) {
  return ({ writer, notifier, notify }: ModeParts<SessionEventMap>): SessionMode<BacktestTypes> => {
    const planFor = (tradingSession: TradingSession, configured: ResolvedSymbol[]): SessionPlan => {
      const { open, extendedOpen, extendedClose } = tradingSession;
      const window = options.extendedHours ? { open: extendedOpen, close: extendedClose } : { open, close: tradingSession.close };
      return {
        date: tradingSession.date,
        window,
        alignTo: open,
        query: { open: Math.min(extendedOpen, window.open), close: Math.max(extendedClose, window.close) },
        store,
        speed: options.speed,
        maxBatchMinutes: options.maxBatchMinutes,
        loadTimeoutMs: options.loadTimeoutMs,
        configured,
      };
    };
    const plan = planFor(options.tradingSession, options.symbols);
    const engine = new BacktestDataEngine(plan.window, plan.alignTo, writer, notifier);
    /** Requests sent but not yet handled: a clock step ends after the minute they were made in. */
    const inbox: RequestInbox = { waiting: 0 };
    /** The symbols' statuses, put there while the session steps and taken after each step. */
    const statuses: SymbolReport[] = [];
    return {
      name: 'backtest',
      machine: sessionMachine,
      input: { engine, plan, requests: inbox, statuses },
      clock: { now: () => engine.clock.now() },
      runningStates: RUNNING_STATES,
      unfinished: 'caught up',
      roster: (snapshot) => snapshot.context.symbols,
      takeStatuses: () => statuses.splice(0),
      // Streaming with no request waiting.
      started: (snapshot) => leafState(snapshot.value) === 'streaming' && snapshot.context.requests.waiting === 0,
      listen: (actor) => actor.on('pause', (event) => notify('pause', event)),
      beforeRequest: () => {
        inbox.waiting++;
      },
      stats: (symbol) => engine.stats(symbol),
      symbolInfo: (base) => base,
      summary: (common, symbols, snapshot) => ({
        ...common,
        mode: 'backtest',
        stopped: snapshot.context.stopRequested,
        symbols,
        pauses: snapshot.context.pauses.map((p: PauseRecord) => ({ ...p, symbols: [...p.symbols] })),
      }),
      schedule: {
        holdAt: (sim) => {
          if (sim === undefined) delete inbox.holdAt;
          else inbox.holdAt = sim;
        },
        setSpeed: (actor, speed) => actor.send({ type: 'SET_SPEED', speed }),
        speed: options.speed,
      },
      afterCrash: () => engine.reactivate(),
      advance: (actor, minutes, settled) => advanceManually(actor, minutes, settled),
      nextDay: (actor, tradingSession, symbols) => actor.send({ type: 'NEXT_DAY', plan: planFor(tradingSession, symbols) }),
    };
  };
}

async function advanceManually(actor: Actor<typeof sessionMachine>, minutes: number, settled: () => Promise<void>): Promise<void> {
  actor.send({ type: 'ADVANCE', minutes });
  for (;;) {
    // Each step in a macrotask of its own: what the last one set off (an add's `.then`, a
    // removal's) runs first, at the minute it belongs to, as it does between steps at 'max'.
    await nextMacrotask();
    await settled();
    const snapshot = actor.getSnapshot();
    const { clearedTo, pending, engine } = snapshot.context;
    if (leafState(snapshot.value) === 'closed' || (engine.clock.now() >= clearedTo && pending.length === 0)) return;
    actor.send({ type: 'TICK' });
  }
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
