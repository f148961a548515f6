import type { CommissionModel } from '../broker/commission.js';
import type { SlippageModel } from '../broker/slippage.js';
import type { BacktestResult } from '../run/backtest-result.js';
import type { ParamValue } from '../run/strategy.js';

/** What every job of one sweep shares: the run, minus its parameters and its dates. */
export interface RunSpec {
  /** Absolute path; on another machine, the same path must hold the same file. */
  strategyFile: string;
  /** The file's content hash: a worker whose copy differs refuses the job. */
  strategyHash: string;
  symbols?: string[];
  cash: number;
  commission?: CommissionModel;
  slippage?: SlippageModel;
}

/**
 * One unit of work: a parameter set over the sweep's days, or over one date chunk of them.
 * Parameters and dates only, never bars: every worker reads its own store.
 */
export interface SweepJob {
  /** Position in the sweep's job list, which fixes the order of everything reported. */
  index: number;
  /** The parameter set's position in the grid. */
  point: number;
  params: Record<string, ParamValue>;
  from: string;
  to: string;
  /** Set when the parameter set's days were split: this job's place among its chunks. */
  chunk?: { index: number; count: number };
  run: RunSpec;
}

/**
 * A run as a job hands it back: the result without the report's candles (`orders` is what a
 * later date chunk's order ids count on from). Plain JSON, whichever way it travelled, so every
 * path gives the same values.
 */
export type SweepRun = Omit<BacktestResult, 'candles'>;

export interface JobFailure {
  code: string;
  message: string;
}

export type JobOutcome = { index: number; run: SweepRun } | { index: number; error: JobFailure };

/**
 * A job's outcome as it travels back, from a pool thread or through the queue: JSON text. A
 * run's fills, trades and equity come to megabytes; as one string they cross a thread as a
 * single copy, where an object graph is walked field by field on both sides while the thread
 * waits for its next job. And every path hands back the same values.
 */
export type OutcomeText = string & { readonly outcomeText: unique symbol };

export function encodeOutcome(outcome: JobOutcome): OutcomeText {
  return JSON.stringify(outcome) as OutcomeText;
}

export function decodeOutcome(text: OutcomeText): JobOutcome {
  return JSON.parse(text) as JobOutcome;
}
