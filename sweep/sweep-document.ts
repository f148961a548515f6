import path from 'node:path';
import type { SweepResult } from './sweep-result.js';

/** The folder of a parameter set's `result.json`, relative to the sweep's: `runs/007`. */
export function runFolder(result: Pick<SweepResult, 'points'>, point: number): string {
  return path.join('runs', String(point).padStart(String(result.points.length - 1).length, '0'));
}

/** The sweep's summary as `sweep.json` holds it: one row per parameter set, in grid order. */
export function sweepDocument(result: SweepResult) {
  const { strategy, from, to, grid, rank, chunks, jobs, heatmap } = result;
  return {
    strategy,
    from,
    to,
    grid,
    rank,
    chunks,
    jobs,
    ...(heatmap ? { heatmap } : {}),
    points: result.points.map((p) => ({
      point: p.point,
      params: p.params,
      ...(p.run ? { metrics: p.run.metrics, result: path.join(runFolder(result, p.point), 'result.json') } : {}),
      ...(p.error ? { error: p.error } : {}),
    })),
    ranked: result.ranked.map((p) => p.point),
  };
}

export type SweepDocument = ReturnType<typeof sweepDocument>;
