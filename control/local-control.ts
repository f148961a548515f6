import type { ControlledSession } from './controlled-session.js';
import { isSessionError } from '../model/session-error.js';
import type { SymbolInfo } from '../model/session-summary.js';
import type { DynamicSymbolView, StatusReport, SymbolView, TimePair } from './control-protocol.js';
import type { SessionControl } from './session-control.js';

const iso = (ms: number) => new Date(ms).toISOString();
const timePair = (at: { sim: number; wall: number }): TimePair => ({ sim: iso(at.sim), wall: iso(at.wall) });
// Pause durations are fractions of a millisecond on a fast store; two decimals keep them readable.
const roundMs = (ms: number) => Math.round(ms * 100) / 100;

function symbolView(info: SymbolInfo): SymbolView {
  return { ...info, addedAt: timePair(info.addedAt) };
}

function dynamicView({ symbol, status, streams, addedAt, error }: SymbolInfo): DynamicSymbolView {
  return { symbol, status, streams, addedAt: timePair(addedAt), ...(error ? { error } : {}) };
}

function statusReport(session: ControlledSession): StatusReport {
  const summary = session.summary();
  const durations = summary.pauses.map((p) => p.durationMs);
  const now = session.clock.now();
  const { open, close, early } = session.tradingSession;
  return {
    pid: process.pid,
    mode: session.mode,
    date: session.tradingSession.date,
    calendar: session.calendar.name,
    timeZone: session.calendar.timeZone,
    state: session.state,
    running: session.isRunning,
    clock: { ms: now, iso: iso(now) },
    hours: { open: iso(open), close: iso(close), early },
    symbols: summary.symbols.map(symbolView),
    pauses: {
      count: durations.length,
      totalMs: roundMs(durations.reduce((sum, d) => sum + d, 0)),
      maxMs: roundMs(Math.max(0, ...durations)),
    },
    notifications: summary.notifications,
  };
}

function find(session: ControlledSession, symbol: string): SymbolInfo | undefined {
  return session.listSymbols().find((s) => s.symbol === symbol);
}

/** The control operations done directly on a session in this process. Refusals throw `SessionError`. */
export function localControl(session: ControlledSession): SessionControl {
  return {
    status: async () => statusReport(session),

    listDynamic: async () => ({
      mode: session.mode,
      date: session.tradingSession.date,
      timeZone: session.calendar.timeZone,
      symbols: session.listSymbols().filter((s) => s.origin === 'dynamic').map(dynamicView),
    }),

    async addSymbol({ symbol, streams, wait = false }) {
      const added = session.addSymbol(symbol, streams === undefined ? {} : { streams });
      const queued = find(session, symbol)!;
      if (!wait) return { mode: session.mode, symbol, streams: queued.streams, status: queued.status, waited: false };
      let failure: unknown;
      await added.catch((error: unknown) => (failure = error));
      const final = find(session, symbol)!;
      const error = final.error ?? (isSessionError(failure) ? { code: failure.code, message: failure.message } : undefined);
      return {
        mode: session.mode,
        symbol,
        streams: final.streams,
        status: final.status,
        waited: true,
        caughtUp: final.caughtUp,
        ...(error ? { error } : {}),
      };
    },

    async removeSymbol({ symbol, immediate = false, wait = false }) {
      const previousStatus = find(session, symbol)?.status;
      const removed = session.removeSymbol(symbol, { immediate });
      if (wait) await removed;
      return {
        mode: session.mode,
        symbol,
        immediate,
        // removeSymbol threw UNKNOWN_SYMBOL above if the symbol was not there.
        previousStatus: previousStatus!,
        status: find(session, symbol)!.status,
        waited: wait,
      };
    },
  };
}
