import type { BarStore } from '../model/bar-store.js';
import { silentLogger } from '../model/logger.js';
import { runBacktest } from '../run/run-backtest.js';
import { defineStrategy, type Strategy } from '../run/strategy.js';
import { SweepError } from './sweep-error.js';
import { encodeOutcome, type JobFailure, type OutcomeText, type RunSpec, type SweepJob } from './sweep-job.js';
import { importStrategyFile, strategyFileHash } from './strategy-module.js';

/**
 * Runs sweep jobs in one thread: the strategy file imported once (per file and content) and
 * one store handle for every job. A job's failure is its outcome, never an exception: one
 * throwing parameter set does not stop the others.
 */
export class JobRunner {
  private readonly strategies = new Map<string, Promise<Strategy>>();

  constructor(private readonly store: BarStore) {}

  async run(job: SweepJob): Promise<OutcomeText> {
    try {
      const loaded = await this.strategy(job.run);
      // A later chunk starts mid-run: its warm-up is the history the serial run holds by then.
      const strategy = job.chunk && job.chunk.index > 0 ? defineStrategy({ ...loaded, warmup: { days: Math.max(1, loaded.warmup.days) } }) : loaded;
      const result = await runBacktest({
        strategy,
        from: job.from,
        to: job.to,
        store: this.store,
        params: job.params,
        cash: job.run.cash,
        ...(job.run.symbols ? { symbols: job.run.symbols } : {}),
        ...(job.run.commission ? { commission: job.run.commission } : {}),
        ...(job.run.slippage ? { slippage: job.run.slippage } : {}),
        logger: silentLogger,
      });
      const { candles: _candles, ...run } = result;
      return encodeOutcome({ index: job.index, run });
    } catch (error) {
      return encodeOutcome({ index: job.index, error: failureOf(error) });
    }
  }

  /**
   * Imports a strategy file ahead of its jobs. Nothing is reported here: a job that asks for
   * the file gets the same import, and its failure if it failed.
   */
  preload(file: string): void {
    strategyFileHash(file)
      .then((strategyHash) => this.strategy({ strategyFile: file, strategyHash }))
      .catch(() => {});
  }

  private strategy(spec: Pick<RunSpec, 'strategyFile' | 'strategyHash'>): Promise<Strategy> {
    const key = `${spec.strategyFile}\n${spec.strategyHash}`;
    let loaded = this.strategies.get(key);
    if (!loaded) {
      loaded = loadChecked(spec);
      this.strategies.set(key, loaded);
    }
    return loaded;
  }
}

async function loadChecked(spec: Pick<RunSpec, 'strategyFile' | 'strategyHash'>): Promise<Strategy> {
  const hash = await strategyFileHash(spec.strategyFile).catch(() => undefined);
  if (hash === undefined) {
    throw new SweepError('STRATEGY_MISMATCH', `No strategy file at ${spec.strategyFile} on this worker: every worker needs the sweep's strategy file at the same path.`, { file: spec.strategyFile });
  }
  if (hash !== spec.strategyHash) {
    throw new SweepError('STRATEGY_MISMATCH', `${spec.strategyFile} on this worker differs from the sweep's copy: give every worker the same file.`, { file: spec.strategyFile });
  }
  return importStrategyFile(spec.strategyFile);
}

export function failureOf(error: unknown): JobFailure {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'INTERNAL';
  return { code, message: error instanceof Error ? error.message : String(error) };
}
