import { fromPromise } from 'xstate';
import { MINUTE_MS, type Bar } from '../model/bar.js';
import { validateDayBars } from '../data-plane/day-bars.js';
import type { LiveDataEngine, LiveHistory, HistoryDay } from '../data-plane/live-data-engine.js';
import type { HistorySource } from '../model/live-feed.js';
import { SessionError } from '../model/session-error.js';
import { sourceOf, type LiveLoadPlan, type SymbolJob, type SymbolLoad } from './symbol-job.js';

export interface LiveLoadInput {
  symbol: string;
  engine: LiveDataEngine;
  plan: LiveLoadPlan;
}

/** Bars with a close at or before `now` are history; later ones come from the feed. */
function closedBy(now: number): number {
  return Math.floor(now / MINUTE_MS) * MINUTE_MS;
}

async function fetchBars(history: HistorySource, symbol: string, start: number, end: number): Promise<Bar[]> {
  if (end <= start) return [];
  let raw: unknown;
  try {
    raw = await history.getBars(symbol, start, end);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SessionError('LOAD_FAILED', `Loading history for ${symbol} failed: ${message}`, { symbol }, { cause: error });
  }
  if (!Array.isArray(raw)) throw new SessionError('LOAD_FAILED', `The history source answered something other than a list of bars for ${symbol}.`, { symbol });
  return raw as Bar[];
}

/**
 * Loads `trailingDays` earlier trading days and today's closed bars for a symbol being added,
 * in one request (one REST call, paged, for Alpaca), then splits and validates them per day.
 */
export async function loadLiveHistory({ symbol, engine, plan }: LiveLoadInput): Promise<LiveHistory & { received: number }> {
  const { calendar, today, trailingDays, extendedHours } = plan;
  const dates: string[] = [];
  let date = today.date;
  for (let k = 0; k < trailingDays; k++) dates.unshift((date = calendar.previousTradingDay(date)));
  const sessions = dates.map((d) => calendar.session(d)!);
  const first = sessions[0] ?? today;
  const end = Math.min(today.extendedClose, closedBy(engine.clock.now()));
  const raw = await fetchBars(plan.history, symbol, Math.min(first.extendedOpen, first.open), Math.max(end, first.open));
  const trailing: HistoryDay[] = sessions.map((session) => {
    const window = extendedHours ? { open: session.extendedOpen, close: session.extendedClose } : { open: session.open, close: session.close };
    const ofDay = raw.filter((bar) => bar.t >= Math.min(session.extendedOpen, session.open) && bar.t < Math.max(session.extendedClose, session.close));
    return { window, alignTo: session.open, day: validateDayBars(symbol, ofDay, window) };
  });
  const ofToday = raw.filter((bar) => bar.t >= Math.min(today.extendedOpen, today.open));
  return { trailing, today: validateDayBars(symbol, ofToday, { open: plan.window.open, close: Math.min(plan.window.close, end) }), received: raw.length };
}

/**
 * Fetches today so far again after the feed was down: the bars it missed, and the updated bars
 * it missed, which may correct any minute already held (the service does not say which).
 * One request of at most a day of 1m bars, and the merge rewrites the day's series anyway.
 */
export async function loadGap({ symbol, engine, plan }: LiveLoadInput): Promise<LiveHistory> {
  const start = plan.window.open;
  const end = Math.min(plan.window.close, closedBy(engine.clock.now()));
  const raw = await fetchBars(plan.history, symbol, start, end);
  return { today: validateDayBars(symbol, raw, { open: start, close: end }) };
}

/**
 * Loads a symbol's history and merges it in. Both steps run inside the actor, so a failure of
 * either is the symbol machine's `onError`, never a crashed action.
 */
export const addHistory = fromPromise<SymbolLoad, SymbolJob>(async ({ input: job }) => {
  const input = { ...sourceOf(job, 'live'), symbol: job.symbol };
  const history = await loadLiveHistory(input);
  input.engine.completeFill(input.symbol, history);
  return { received: history.received };
});

/** A live symbol's `catchUp` after a feed drop; the output is how many 1m bars it restored. */
export const fillGap = fromPromise<number, SymbolJob>(async ({ input: job }) => {
  const input = { ...sourceOf(job, 'live'), symbol: job.symbol };
  const before = input.engine.stats(input.symbol)?.filled ?? 0;
  const gap = await loadGap(input);
  input.engine.completeFill(input.symbol, gap);
  return (input.engine.stats(input.symbol)?.filled ?? 0) - before;
});
