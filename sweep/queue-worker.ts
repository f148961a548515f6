import type { StoreKind } from '../storage/bars/open-bar-store.js';
import { SweepError } from './sweep-error.js';
import type { OutcomeText, SweepJob } from './sweep-job.js';

export interface QueueWorkerOptions {
  url: string;
  name: string;
  /** This machine's bar store: a shared path or its own copy of the same bars. */
  data: string;
  store?: StoreKind;
  /** Pool threads, and so jobs at once; default: the cores. */
  threads?: number;
  /**
   * How long a job's lock lasts without renewal, and how often workers look for jobs whose lock
   * ran out: a worker killed mid-job hands its job on after between one and two of these.
   */
  lockMs?: number;
  connectTimeoutMs?: number;
  onJob?(event: 'started' | 'finished', jobId: string): void;
  onError?(error: Error): void;
}

export interface QueueWorker {
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * Takes sweep jobs from a BullMQ queue and runs them in a thread pool. The queue's own
 * stalled-job check hands the job of a worker that died (SIGKILL, power cut) to another one.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { url, name, lockMs = 30_000, connectTimeoutMs = 30_000 } = options;
  // Loaded here, not with tapedeck: see runSweep.
  const [{ Worker }, { redisClient, redisOptions, within }, { ThreadPool }] = await Promise.all([import('bullmq'), import('./queue-connection.js'), import('./thread-pool.js')]);
  const connection = redisOptions(url);
  // Asked first on a connection of its own: BullMQ's worker, once made, waits for Redis forever.
  const probe = redisClient(url);
  probe.on('error', () => {});
  try {
    await within(probe.ping(), connectTimeoutMs, () => new SweepError('QUEUE_UNREACHABLE', `Redis at ${url} did not answer within ${connectTimeoutMs / 1000} s: start it (redis-server) or check the URL.`, { queue: url }));
  } finally {
    probe.disconnect();
  }
  const pool = new ThreadPool({ store: options.store ?? 'arrow', data: options.data, ...(options.threads ? { threads: options.threads } : {}) });
  const worker = new Worker<SweepJob, OutcomeText>(
    name,
    async (job) => {
      options.onJob?.('started', job.id!);
      const outcome = await pool.run(job.data);
      options.onJob?.('finished', job.id!);
      return outcome;
    },
    // A job stalled this often is failed: by then it is the job, not the workers, that dies.
    { connection, concurrency: pool.threads, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 3, autorun: false },
  );
  worker.on('error', (error) => options.onError?.(error));
  void worker.run();
  return {
    threads: pool.threads,
    async close() {
      await worker.close();
      await pool.close();
    },
  };
}
