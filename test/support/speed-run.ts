import { createSession, INTERVALS, isSessionError, silentLogger, type Bar, type Interval, type Session, type SymbolConfig } from 'tapedeck';
import { DATE, shortCalendar } from './session-harness.js';
import { ScriptedStore } from './scripted-store.js';

/** A request a strategy makes from its bar listener, the first time it hears a bar at or after minute `at`. */
export type PlannedRequest =
  | { at: number; kind: 'add'; symbol: string; streams: Interval[]; /** made from the add's `.then` */ thenRemove?: 'graceful' | 'immediate' }
  | { at: number; kind: 'remove'; symbol: string; immediate: boolean; /** made from the removal's `.then` */ thenAdd?: Interval[] };

export interface SpeedScenario {
  minutes: number;
  days: Record<string, Bar[]>;
  configured: SymbolConfig[];
  plan: PlannedRequest[];
}

/** How the clock is driven: the session's own pace, or `advance`/`advanceTo` by hand. */
export type Driver =
  | { kind: 'max'; maxBatchMinutes?: number }
  | { kind: 'speed'; speed: number; maxBatchMinutes?: number }
  | { kind: 'by-minute' }
  /** Steps of `n` minutes, or (negative `n`) `advanceTo` that many minutes ahead; then to the close. */
  | { kind: 'chunks'; steps: number[]; maxBatchMinutes?: number };

export interface SpeedRecord {
  session: Session;
  /** One line per bar heard and per request settled, with `clock.now()` and what the strategy read then. */
  log: string[];
  /** Every symbol's data at the end, every interval. */
  final: string[];
  pauses: string[];
  /** Requests whose promise had not settled when `done` resolved. */
  unsettled: string[];
}

/**
 * Runs `scenario` with its plan executed from inside `onBar` (and from the requests' `.then`),
 * driving the clock as `driver` says, and records everything the strategy could observe.
 */
export async function runDriven(scenario: SpeedScenario, driver: Driver, symbols: readonly string[]): Promise<SpeedRecord> {
  const calendar = shortCalendar(scenario.minutes);
  const session = createSession({
    mode: 'backtest',
    date: DATE,
    symbols: scenario.configured,
    store: new ScriptedStore(scenario.days),
    calendar,
    speed: driver.kind === 'max' ? 'max' : driver.kind === 'speed' ? driver.speed : 'manual',
    logger: silentLogger,
    ...('maxBatchMinutes' in driver && driver.maxBatchMinutes ? { maxBatchMinutes: driver.maxBatchMinutes } : {}),
  });
  const { open, close } = session.tradingSession;
  const log: string[] = [];
  const unsettled = new Set<string>();
  let requestCount = 0;
  const minute = () => (session.clock.now() - open) / 60_000;

  const track = (label: string, promise: Promise<unknown>, then: () => void) => {
    const id = `${requestCount++} ${label}`;
    unsettled.add(id);
    promise.then(
      () => {
        unsettled.delete(id);
        log.push(`${minute()} ${label} settled ok | ${reads(session, symbols)}`);
        then();
      },
      (error: unknown) => {
        unsettled.delete(id);
        log.push(`${minute()} ${label} settled ${isSessionError(error) ? error.code : String(error)}`);
      },
    );
  };
  const request = (label: string, make: () => Promise<unknown>, then: () => void = () => undefined) => {
    try {
      track(label, make(), then);
    } catch (error) {
      if (!isSessionError(error)) throw error;
      log.push(`${minute()} ${label} refused ${error.code}`);
    }
  };
  const execute = (r: PlannedRequest) => {
    if (r.kind === 'add') {
      request(`add ${r.symbol}`, () => session.addSymbol(r.symbol, { streams: r.streams }), () => {
        if (r.thenRemove) request(`then remove ${r.symbol} ${r.thenRemove}`, () => session.removeSymbol(r.symbol, { immediate: r.thenRemove === 'immediate' }));
      });
    } else {
      request(`remove ${r.symbol} ${r.immediate ? 'immediate' : 'graceful'}`, () => session.removeSymbol(r.symbol, { immediate: r.immediate }), () => {
        if (r.thenAdd) request(`then add ${r.symbol}`, () => session.addSymbol(r.symbol, { streams: r.thenAdd }));
      });
    }
  };

  const queue = [...scenario.plan].sort((a, b) => a.at - b.at);
  session.onBar((bar) => {
    log.push(`${minute()} ${bar.symbol} ${bar.interval} ${bar.t} ${bar.c} | ${reads(session, symbols)}`);
    while (queue.length > 0 && queue[0]!.at <= minute()) execute(queue.shift()!);
  });

  await session.start();
  if (driver.kind === 'by-minute') {
    while (session.state !== 'closed') await session.advance(1);
  } else if (driver.kind === 'chunks') {
    for (const n of driver.steps) {
      if (session.state === 'closed') break;
      if (n >= 0) await session.advance(n);
      else await session.advanceTo(session.clock.now() - n * 60_000);
    }
    if (session.state !== 'closed') await session.advanceTo(close);
  }
  const summary = await session.done;
  const final = symbols.flatMap((symbol) => INTERVALS.map((interval) => `${symbol} ${interval} ${JSON.stringify(session.data.getBarsSince(symbol, 0, interval))}`));
  return {
    session,
    log,
    final,
    pauses: summary.pauses.map((p) => `${(p.simTime - open) / 60_000} ${p.reason} ${p.symbols.join(',')}`),
    unsettled: [...unsettled],
  };
}

/** What a strategy can read at this moment: each symbol's status and, per interval, bar count and latest bar. */
function reads(session: Session, symbols: readonly string[]): string {
  const status = new Map(session.listSymbols().map((s) => [s.symbol, s.status]));
  return symbols
    .map((symbol) => {
      const perInterval = INTERVALS.map((interval) => {
        const latest = session.data.getLatestBar(symbol, interval);
        return `${session.data.getBarCount(symbol, interval)}${latest ? `@${latest.t}:${latest.c}` : ''}`;
      });
      return `${symbol}:${status.get(symbol) ?? '-'}:${perInterval.join('/')}`;
    })
    .join(' ');
}
