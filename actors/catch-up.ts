import { fromPromise } from 'xstate';
import type { BacktestDataEngine } from '../data-plane/backtest-data-engine.js';
import type { IntervalCounts } from '../model/counts.js';

export interface CatchUpInput {
  engine: BacktestDataEngine;
  symbols: string[];
}

/**
 * Writes the staged symbols' history up to the stopped clock. It runs as an invoked actor, not
 * an action, so a failure becomes the session's `onError` transition — which still leads
 * through `reactivating` — instead of an actor crash that would skip it.
 */
export const catchUp = fromPromise<Map<string, IntervalCounts>, CatchUpInput>(async ({ input }) => input.engine.catchUp(input.symbols));
