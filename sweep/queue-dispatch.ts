import { Job, Queue, QueueEvents } from 'bullmq';
import { redisConnection, within } from './queue-connection.js';
import { SweepError } from './sweep-error.js';
import type { JobOutcome, SweepJob } from './sweep-job.js';

export interface QueueDispatchOptions {
  url: string;
  name: string;
  /** Unique per sweep: the prefix of its job ids on a queue that several sweeps may share. */
  sweepId: string;
  /** How long Redis may go without answering before the sweep gives up; default 30 s. */
  unreachableMs?: number;
  onOutcome(outcome: JobOutcome): void;
}

/** Without a `completed` event for this long, the sweep asks Redis where each of its jobs is. */
const IDLE_CHECK_MS = 1000;
/** A job Redis lost (restarted without persistence) is enqueued again at most this often. */
const MAX_RESUBMITS = 3;

/**
 * Enqueues a sweep's jobs on BullMQ and waits for every outcome. Events wake the collector;
 * when they stop, it checks each job's state, so a missed event costs a second, not a
 * result. A job Redis lost (restarted without its data) is enqueued again: jobs are pure,
 * so running one twice gives the same outcome. Redis gone for longer than `unreachableMs`
 * fails the sweep with `QUEUE_UNREACHABLE`, never with a partial result.
 */
export async function runOnQueue(jobs: readonly SweepJob[], options: QueueDispatchOptions): Promise<void> {
  const { url, name, sweepId, unreachableMs = 30_000 } = options;
  const connection = redisConnection(url);
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  // Connection trouble shows as commands that do not answer: the watchdog below reports it.
  queue.on('error', () => {});
  events.on('error', () => {});
  const unreachable = (what: string) => () =>
    new SweepError('QUEUE_UNREACHABLE', `Redis at ${url} ${what} within ${unreachableMs / 1000} s: start it (redis-server), check the URL, then run the sweep again.`, { queue: url });
  const pending = new Map(jobs.map((job) => [`${sweepId}.${job.index}`, job]));
  const resubmits = new Map<string, number>();
  let wake = () => {};
  const finished = new Set<string>();
  const onEvent = ({ jobId }: { jobId: string }) => {
    if (pending.has(jobId)) {
      finished.add(jobId);
      wake();
    }
  };
  events.on('completed', onEvent);
  events.on('failed', onEvent);
  const collect = async (id: string) => {
    const job = await Job.fromId<SweepJob, JobOutcome>(queue, id);
    const state = job ? await job.getState() : 'unknown';
    if (!job || !pending.has(id) || (state !== 'completed' && state !== 'failed')) return state;
    pending.delete(id);
    options.onOutcome(state === 'completed' ? job.returnvalue : { index: job.data.index, error: { code: 'JOB_FAILED', message: job.failedReason } });
    await job.remove().catch(() => {});
    return state;
  };
  const add = (entries: Array<[string, SweepJob]>) =>
    queue.addBulk(entries.map(([jobId, data]) => ({ name: 'run', data, opts: { jobId, attempts: 1, removeOnComplete: false, removeOnFail: false } })));
  try {
    await within(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), unreachableMs, unreachable('did not answer'));
    await within(add([...pending]), unreachableMs, unreachable('did not take the jobs'));
    while (pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      if (finished.size === 0) await new Promise<void>((resolve) => ((wake = resolve), (timer = setTimeout(resolve, IDLE_CHECK_MS))));
      clearTimeout(timer);
      const evented = [...finished];
      finished.clear();
      const check = evented.length > 0 ? evented : [...pending.keys()];
      const states = await within(Promise.all(check.map(async (id) => [id, await collect(id)] as const)), unreachableMs, unreachable('stopped answering mid-sweep'));
      const lost = evented.length > 0 ? [] : states.filter(([, state]) => state === 'unknown').map(([id]) => id);
      for (const id of lost) {
        const times = (resubmits.get(id) ?? 0) + 1;
        if (times > MAX_RESUBMITS) {
          throw new SweepError('QUEUE_LOST', `Redis at ${url} lost job ${id} ${MAX_RESUBMITS} times (restarted or flushed while the sweep ran): run the sweep again once Redis keeps its data.`, { queue: url, job: id });
        }
        resubmits.set(id, times);
      }
      if (lost.length > 0) await within(add(lost.map((id) => [id, pending.get(id)!])), unreachableMs, unreachable('did not take the jobs'));
    }
  } finally {
    await within(Promise.all([queue.close(), events.close()]), 2000, () => new Error('close')).catch(() => Promise.all([queue.disconnect(), events.disconnect()]));
  }
}
