import { workerData } from 'node:worker_threads';
import { openBarStore, type StoreKind } from '../storage/bars/open-bar-store.js';
import { JobRunner } from './job-runner.js';
import type { OutcomeText, SweepJob } from './sweep-job.js';

/** What a pool thread is started with: the store every one of its jobs reads. */
export interface PoolWorkerData {
  store: StoreKind;
  data: string;
}

const { store, data } = workerData as PoolWorkerData;
const runner = new JobRunner(openBarStore(store, data));

/** One pool thread's task: one sweep job. */
export default function runJob(job: SweepJob): Promise<OutcomeText> {
  return runner.run(job);
}
