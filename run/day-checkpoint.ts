import type { BrokerSnapshot, EquityPoint } from '../broker/simulated-broker.js';
import type { Fill } from '../broker/fill.js';
import type { Bar, Interval } from '../model/bar.js';
import type { DaySummary } from './backtest-result.js';
import type { UniverseEntry } from './run-universe.js';
import type { Strategy } from './strategy.js';

/**
 * A completed day of a run, as JSON: what it added to the results, and what the next day starts
 * from. A run given the checkpoints of its first days (`runBacktest({ resume })`) starts at the
 * next day instead of running them again, and ends with the same result.
 */
export interface DayCheckpoint {
  /** The day's fills, in order. */
  fills: Fill[];
  /** The day's per-minute equity points. */
  minutes: EquityPoint[];
  /** The day's candles for `report.html`, per symbol. */
  candles: Record<string, Bar[]>;
  /** The account after the close (DAY orders cancelled). */
  broker: BrokerSnapshot;
  /** The universe the next day starts with. */
  universe: Array<{ symbol: string } & UniverseEntry>;
  /** The symbols whose bars the session held at the close, with their streams: loaded again for `ctx.history`. */
  held: Array<{ symbol: string; streams: Interval[] }>;
  /** What the strategy's `saveState` returned; absent for a `carry: 'none'` strategy without the hooks. */
  strategy?: { saved: unknown };
}

/** A day the run completed: its summary and, when the strategy can be resumed from it, its checkpoint. */
export interface CompletedDay {
  summary: DaySummary;
  checkpoint?: DayCheckpoint;
}

/**
 * Whether a run of `strategy` can start after completed days from their checkpoints: its state
 * is saved and loaded by its `saveState`/`loadState` hooks, or it keeps none (`carry: 'none'`,
 * and no `result` hook reading the whole run's state). Otherwise a resume runs the days again.
 */
export function resumesFromCheckpoints(strategy: Strategy<any, any>): boolean {
  if (strategy.saveState && strategy.loadState) return true;
  return strategy.carry === 'none' && !strategy.result;
}
