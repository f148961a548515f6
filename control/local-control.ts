import type { ControlledSession } from './controlled-session.js';
import { isoTime } from '../model/iso-time.js';
import { isSessionError } from '../model/session-error.js';
import type { SymbolInfo } from '../model/session-summary.js';
import type { DynamicSymbolView, FailureCount, StatusReport, SymbolView, TimePair } from './control-protocol.js';
import type { SessionControl } from './session-control.js';

const timePair = (at: { sim: number; wall: number }): TimePair => ({ sim: isoTime(at.sim), wall: isoTime(at.wall) });
// Pause durations are fractions of a millisecond on a fast store; two decimals keep them readable.
const roundMs = (ms: number) => Math.round(ms * 100) / 100;

function symbolView(info: SymbolInfo): SymbolView {
  return { ...info, addedAt: timePair(info.addedAt) };
}

function dynamicView({ symbol, status, streams, addedAt, error }: SymbolInfo): DynamicSymbolView {
  return { symbol, status, streams, addedAt: timePair(addedAt), ...(error ? { error } : {}) };
}

/** Failed symbols a report lists by default: past that, a stream of bad requests would only grow it. */
export const FAILED_SYMBOLS_LISTED = 100;

/** Drops all but the last `listed` failed symbols (by when they were added); the rest are only counted. */
function lastFailures<T extends Pick<SymbolInfo, 'status' | 'addedAt'>>(symbols: T[], listed: number): { symbols: T[]; failures: FailureCount } {
  const failed = symbols.filter((s) => s.status === 'failed').sort((a, b) => a.addedAt.wall - b.addedAt.wall || a.addedAt.sim - b.addedAt.sim);
  const kept = new Set(failed.slice(Math.max(0, failed.length - listed)));
  return { symbols: symbols.filter((s) => s.status !== 'failed' || kept.has(s)), failures: { total: failed.length, listed: kept.size } };
}

function statusReport(session: ControlledSession, failedListed: number): StatusReport {
  const summary = session.summary();
  const { symbols, failures } = lastFailures(summary.symbols, failedListed);
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
    clock: { ms: now, iso: isoTime(now) },
    hours: { open: isoTime(open), close: isoTime(close), early },
    symbols: symbols.map(symbolView),
    failures,
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

/**
 * The control operations done directly on a session in this process. Refusals throw `SessionError`.
 * The status lists the last `failedListed` failed symbols (default `FAILED_SYMBOLS_LISTED`) and counts the rest.
 */
export function localControl(session: ControlledSession, { failedListed = FAILED_SYMBOLS_LISTED }: { failedListed?: number } = {}): SessionControl {
  if (!Number.isInteger(failedListed) || failedListed < 0) throw new Error(`failedListed must be a whole number of at least 0, got ${JSON.stringify(failedListed)}.`);
  return {
    status: async () => statusReport(session, failedListed),

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

    async removeSymbol({ symbol, immediate = false, wait = false, flatten = false }) {
      const previousStatus = find(session, symbol)?.status;
      const removed = session.removeSymbol(symbol, { immediate, ...(flatten ? { flatten } : {}) });
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
