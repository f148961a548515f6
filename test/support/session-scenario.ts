import fc from 'fast-check';
import { createSession, INTERVAL_MS, isSessionError, silentLogger, type Bar, type Interval, type Session, type StreamBar, type SymbolConfig } from 'tapedeck';
import { dayBarsArb } from './day-data.js';
import { DATE, shortCalendar } from './session-harness.js';
import { ScriptedStore, type LoadScript } from './scripted-store.js';

/** A request made while the session runs, at a minute after the open. */
export type Op =
  | { at: number; kind: 'add'; symbol: string; streams: Interval[] }
  | { at: number; kind: 'remove'; symbol: string; immediate: boolean }
  | { at: number; kind: 'stop' };

export interface Scenario {
  minutes: number;
  days: Record<string, Bar[]>;
  configured: SymbolConfig[];
  ops: Op[];
  /** How each symbol's load behaves; `ok` when absent. */
  scripts?: Record<string, LoadScript>;
  loadTimeoutMs?: number;
}

export interface RunRecord {
  session: Session;
  bars: StreamBar[];
  /** Close time of each delivered bar, in delivery order. */
  closes: number[];
  /** What each add's promise settled to: `active` or the error code. */
  outcomes: Array<{ symbol: string; outcome: string }>;
  /** Broken promises seen while running (empty when the engine behaved). */
  violations: string[];
  /** Errors thrown synchronously by requests, by code. */
  refused: string[];
}

export const SYMBOL_POOL = ['AAA', 'BBB', 'CCC', 'DDD'];
export const STREAM_SETS: Interval[][] = [['1m'], ['1m', '5m'], ['5m', '15m'], ['1m', '5m', '15m', '30m', '1h']];
const DEACTIVATED = new Set(['paused', 'catchingUp']);

export function barClose(bar: StreamBar, sessionClose: number): number {
  return Math.min(bar.t + INTERVAL_MS[bar.interval], sessionClose);
}

/**
 * Runs a scenario at manual speed: steps the clock to each op's minute, makes the request, and
 * at the end runs to the close. Loads go through fast-check's scheduler when one is given, so
 * concurrent loads resolve in generated orders. Checks promises 3 and 4 on the way.
 */
export async function runScenario(scenario: Scenario, scheduler?: fc.Scheduler): Promise<RunRecord> {
  const calendar = shortCalendar(scenario.minutes);
  const store = new ScriptedStore(scenario.days);
  for (const [symbol, script] of Object.entries(scenario.scripts ?? {})) store.script(symbol, script);
  if (scheduler) {
    const load = store.getBars.bind(store);
    const scheduled = scheduler.scheduleFunction(load);
    // A hanging load stays out of the scheduler, which would otherwise wait on it forever; the
    // session's load timeout is what must end it.
    store.getBars = (symbol, ...rest) => (store.scripts.get(symbol)?.kind === 'hang' ? load(symbol, ...rest) : scheduled(symbol, ...rest));
  }
  const session = createSession({
    mode: 'backtest',
    date: DATE,
    symbols: scenario.configured,
    store,
    calendar,
    speed: 'manual',
    logger: silentLogger,
    ...(scenario.loadTimeoutMs ? { loadTimeoutMs: scenario.loadTimeoutMs } : {}),
  });
  const { open, close } = session.tradingSession;
  const record: RunRecord = { session, bars: [], closes: [], outcomes: [], violations: [], refused: [] };
  const seen = new Set<string>();
  let frozenAt: number | undefined;
  session.onBar((bar) => {
    const barCloseAt = barClose(bar, close);
    if (session.state !== 'streaming') record.violations.push(`bar delivered while ${session.state}`);
    if (!session.data.isActive) record.violations.push('bar delivered while data hidden');
    if (barCloseAt > session.clock.now()) record.violations.push(`look-ahead: bar closing ${barCloseAt} seen at ${session.clock.now()}`);
    const key = `${bar.symbol}/${bar.interval}/${bar.t}`;
    if (seen.has(key)) record.violations.push(`bar delivered twice: ${key}`);
    seen.add(key);
    record.bars.push(bar);
    record.closes.push(barCloseAt);
  });
  session.on('state', ({ state }) => {
    const now = session.clock.now();
    if (DEACTIVATED.has(state)) {
      frozenAt ??= now;
      if (now !== frozenAt) record.violations.push(`clock moved from ${frozenAt} to ${now} while deactivated`);
      if (session.data.isActive || !session.notificationsPaused) record.violations.push(`${state} with data visible or notifications on`);
    } else {
      // Leaving the pause may take the deferred clock step at once (even to the close).
      frozenAt = undefined;
    }
  });
  const pending: Array<Promise<void>> = [];
  const step = (p: Promise<void>) => (scheduler ? scheduler.waitFor(p) : p);
  await step(session.start());
  const ops = [...scenario.ops].sort((a, b) => a.at - b.at);
  for (const op of ops) {
    if (session.state === 'closed') break;
    // Requests made at one minute go in before the next step, so they share one pause.
    const at = open + op.at * 60_000;
    if (at > session.clock.now()) await step(session.advanceTo(at));
    if (session.state === 'closed') break;
    try {
      if (op.kind === 'add') {
        pending.push(
          session.addSymbol(op.symbol, { streams: op.streams }).then(
            () => void record.outcomes.push({ symbol: op.symbol, outcome: 'active' }),
            (error: unknown) => void record.outcomes.push({ symbol: op.symbol, outcome: isSessionError(error) ? error.code : String(error) }),
          ),
        );
      } else if (op.kind === 'remove') {
        void session.removeSymbol(op.symbol, { immediate: op.immediate });
      } else {
        await step(session.stop().then(() => undefined));
      }
    } catch (error) {
      if (!isSessionError(error)) throw error;
      record.refused.push(error.code);
    }
  }
  if (session.state !== 'closed') await step(session.advanceTo(close));
  await step(session.done.then(() => undefined));
  await step(Promise.all(pending).then(() => undefined));
  return record;
}

export function daysArb(symbols: string[], minutes: number): fc.Arbitrary<Record<string, Bar[]>> {
  const tradingSession = shortCalendar(minutes).session(DATE)!;
  return fc.tuple(...symbols.map(() => dayBarsArb(tradingSession))).map((days) => Object.fromEntries(symbols.map((s, i) => [s, days[i]!])));
}
