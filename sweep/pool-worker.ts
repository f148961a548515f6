import { workerData } from 'node:worker_threads';
import { openBarStore, type StoreKind } from '../storage/bars/open-bar-store.js';
import { JobRunner } from './job-runner.js';
import type { OutcomeText, SweepJob } from './sweep-job.js';

/** What a pool thread is started with: the store every one of its jobs reads, and the strategy they will run. */
export interface PoolWorkerData {
  store: StoreKind;
  data: string;
  strategyFile?: string;
}

const { store, data, strategyFile } = workerData as PoolWorkerData;
const runner = new JobRunner(openBarStore(store, data));
if (strategyFile) runner.preload(strategyFile);

/** One pool thread's task: one sweep job. */
export default function runJob(job: SweepJob): Promise<OutcomeText> {
  return runner.run(job);
}
