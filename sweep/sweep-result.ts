import type { StrategyParams } from '../run/strategy.js';
import type { GridAxis } from './param-grid.js';
import type { JobFailure, SweepRun } from './sweep-job.js';
import type { RankMetric } from './sweep-rank.js';

export interface SweepProgress {
  done: number;
  total: number;
  failed: number;
  elapsedMs: number;
  /** Remaining time at the pace so far; undefined before the first job ends. */
  etaMs: number | undefined;
}

/** One parameter set's outcome: its run (chunks merged), or why it failed. */
export interface SweepPoint {
  point: number;
  /** The full set the run used: defaults with the grid's values. */
  params: StrategyParams;
  run?: SweepRun;
  error?: JobFailure;
}

export interface SweepResult {
  strategy: string;
  from: string;
  to: string;
  grid: GridAxis[];
  rank: RankMetric;
  /** Date chunks per parameter set (1: not split). */
  chunks: number;
  jobs: number;
  /** In grid order. */
  points: SweepPoint[];
  /** The points that ran, best first by `rank`. */
  ranked: Array<SweepPoint & { run: SweepRun }>;
  failed: Array<SweepPoint & { error: JobFailure }>;
  heatmap?: [string, string];
}
