import { Job, Queue } from 'bullmq';
import { redisClient, within } from './queue-connection.js';
import { SweepError } from './sweep-error.js';
import { decodeOutcome, type JobOutcome, type OutcomeText, type SweepJob } from './sweep-job.js';

export interface QueueDispatchOptions {
  url: string;
  name: string;
  /** Unique per sweep: the prefix of its job ids on a queue that several sweeps may share. */
  sweepId: string;
  /** How long Redis may go without answering before the sweep gives up; default 30 s. */
  unreachableMs?: number;
  onOutcome(outcome: JobOutcome): void;
}

/** How often the sweep reads the finished jobs. */
const POLL_MS = 100;
/** Without a finished job for this long, the sweep asks Redis where each of its jobs is. */
const IDLE_CHECK_MS = 1000;
/** Finished jobs read at once; the sweep removes its own as it reads them. */
const BATCH = 500;
/** A job Redis lost (restarted without persistence) is enqueued again at most this often. */
const MAX_RESUBMITS = 3;

/**
 * Enqueues a sweep's jobs on BullMQ and waits for every outcome, reading the queue's finished
 * jobs (no event stream: a missed event cannot lose a result). When nothing finishes for a
 * second, it checks each of its jobs' state, so a job Redis lost (restarted without its data)
 * is enqueued again: jobs are pure, so running one twice gives the same outcome. Redis gone
 * for longer than `unreachableMs` fails the sweep with `QUEUE_UNREACHABLE`, never with a
 * partial result.
 */
export async function runOnQueue(jobs: readonly SweepJob[], options: QueueDispatchOptions): Promise<void> {
  const { url, name, sweepId, unreachableMs = 30_000 } = options;
  const client = redisClient(url);
  const queue = new Queue(name, { connection: client });
  // Connection trouble shows as commands that do not answer: the watchdog reports it.
  queue.on('error', () => {});
  client.on('error', () => {});
  const unreachable = (what: string) => () =>
    new SweepError('QUEUE_UNREACHABLE', `Redis at ${url} ${what} within ${unreachableMs / 1000} s: start it (redis-server), check the URL, then run the sweep again.`, { queue: url });
  const answer = <T>(promise: Promise<T>, what = 'stopped answering mid-sweep') => within(promise, unreachableMs, unreachable(what));
  const pending = new Map(jobs.map((job) => [`${sweepId}.${job.index}`, job]));
  const resubmits = new Map<string, number>();
  const collect = async (job: Job<SweepJob, OutcomeText>, state: 'completed' | 'failed') => {
    if (!pending.delete(job.id!)) return;
    options.onOutcome(state === 'completed' ? decodeOutcome(job.returnvalue) : { index: job.data.index, error: { code: 'JOB_FAILED', message: job.failedReason } });
    await job.remove().catch(() => {});
  };
  const add = (entries: Array<[string, SweepJob]>) =>
    queue.addBulk(entries.map(([jobId, data]) => ({ name: 'run', data, opts: { jobId, attempts: 1, removeOnComplete: false, removeOnFail: false } })));
  try {
    await answer(queue.waitUntilReady(), 'did not answer');
    await answer(add([...pending]), 'did not take the jobs');
    let lastFinished = performance.now();
    while (pending.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      let found = 0;
      for (const state of ['completed', 'failed'] as const) {
        const finished = (await answer(queue.getJobs([state], 0, BATCH - 1, true))) as Array<Job<SweepJob, OutcomeText>>;
        const mine = finished.filter((job) => job && pending.has(job.id!));
        found += mine.length;
        await answer(Promise.all(mine.map((job) => collect(job, state))));
      }
      if (found > 0) lastFinished = performance.now();
      if (found > 0 || performance.now() - lastFinished < IDLE_CHECK_MS) continue;
      lastFinished = performance.now();
      await answer(checkEach());
    }
  } finally {
    client.disconnect();
    // A start BullMQ never finished ends now as an 'error' event of the queue: wait for it while
    // the queue still listens (after close() nobody would, and it would go unhandled).
    await within(queue.waitUntilReady(), 2000, () => new Error('start')).catch(() => {});
    await within(queue.close(), 2000, () => new Error('close')).catch(() => {});
  }

  /** Where each pending job is: finished ones beyond the read window are collected, lost ones enqueued again. */
  async function checkEach(): Promise<void> {
    const lost: string[] = [];
    await Promise.all(
      [...pending.keys()].map(async (id) => {
        const state = await queue.getJobState(id);
        if (state === 'unknown') lost.push(id);
        if (state !== 'completed' && state !== 'failed') return;
        const job = await Job.fromId<SweepJob, OutcomeText>(queue, id);
        if (job) await collect(job, state);
      }),
    );
    for (const id of lost) {
      const times = (resubmits.get(id) ?? 0) + 1;
      if (times > MAX_RESUBMITS) {
        throw new SweepError('QUEUE_LOST', `Redis at ${url} lost job ${id} ${MAX_RESUBMITS} times (restarted or flushed while the sweep ran): run the sweep again once Redis keeps its data.`, { queue: url, job: id });
      }
      resubmits.set(id, times);
    }
    if (lost.length > 0) await add(lost.map((id) => [id, pending.get(id)!]));
  }
}
