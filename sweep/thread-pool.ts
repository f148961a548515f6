import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { StoreKind } from '../storage/bars/open-bar-store.js';
import { failureOf } from './job-runner.js';
import type { PoolWorkerData } from './pool-worker.js';
import { SweepError } from './sweep-error.js';
import { encodeOutcome, type OutcomeText, type SweepJob } from './sweep-job.js';

/** Worker threads that run sweep jobs, each with its own strategy import and store handle. */
export class ThreadPool {
  private readonly pool: Piscina<SweepJob, OutcomeText>;
  readonly threads: number;

  /** `strategyFile`: imported by each thread as it starts, before its first job asks for it. */
  constructor(options: { store: StoreKind; data: string; threads?: number; strategyFile?: string }) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isSafeInteger(threads) || threads < 1) {
      throw new SweepError('INVALID_OPTION', `workers must be a whole number ≥ 1, got ${String(options.threads)}.`, { workers: options.threads });
    }
    this.threads = threads;
    // The worker file next to this one, .ts from the sources (tsx in the threads' execArgv) or .js when built.
    const here = fileURLToPath(import.meta.url);
    const workerData: PoolWorkerData = { store: options.store, data: options.data, ...(options.strategyFile ? { strategyFile: options.strategyFile } : {}) };
    this.pool = new Piscina({
      filename: path.join(path.dirname(here), `pool-worker${path.extname(here)}`),
      minThreads: threads,
      maxThreads: threads,
      workerData,
    });
  }

  /** Never rejects: a thread that died is that job's failure. */
  run(job: SweepJob): Promise<OutcomeText> {
    return this.pool.run(job).catch((error: unknown) => encodeOutcome({ index: job.index, error: failureOf(error) }));
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
