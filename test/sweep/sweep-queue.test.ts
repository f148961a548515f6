import test from 'ava';
import { fc } from '@fast-check/ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runSweep } from '../../sweep/run-sweep.js';
import { isSweepError } from '../../sweep/sweep-error.js';
import { startCli, type RunningProcess } from '../cli/cli-process.js';
import { RedisServer } from '../support/redis-server.js';
import { CASH, DAYS, FLAT_DAILY, fixtureStore, pointRuns, serialRuns } from './sweep-fixture.js';

// Real processes: redis-server on a free port of 127.0.0.1, `tapedeck worker`s, SIGKILL.
// Locks of 1.5 s so that a dead worker's job moves on within seconds.
const LOCK_MS = 1500;
/**
 * The fault tests' jobs wait on their first day until the test opens a gate (creates a file):
 * whatever the test breaks meanwhile, it breaks mid-job, however slow the machine.
 */
function gateIn(t: { teardown(fn: () => Promise<void>): void }, root: string): { path: string; open(): Promise<void> } {
  const path = join(root, 'gate');
  const open = () => writeFile(path, '');
  // Opened at the end whatever happened, so no worker is left waiting on it.
  t.teardown(open);
  return { path, open };
}

/** The serial runs of gated sets: made without the gate, which changes nothing but the params. */
async function serialGated(data: string, every: number[], gate: string) {
  const runs = await serialRuns(data, DAYS[0]!, DAYS[1]!, every.map((e) => ({ every: e })));
  return runs.map((run) => ('params' in run ? { ...run, params: { ...run.params, gate } } : run));
}

async function redis(t: { teardown(fn: () => Promise<void>): void }): Promise<RedisServer> {
  const server = await RedisServer.start();
  t.teardown(() => server.stop());
  return server;
}

async function startWorkers(t: { teardown(fn: () => void): void }, url: string, data: string, count: number): Promise<RunningProcess[]> {
  const workers = Array.from({ length: count }, () => startCli(['worker', '--queue', url, '--data', data, '--threads', '1', '--lock-ms', String(LOCK_MS)]));
  for (const worker of workers) t.teardown(() => worker.kill());
  await Promise.all(workers.map((worker) => worker.waitFor(/worker ready/, 'stdout', 30_000)));
  return workers;
}

test('through BullMQ with 1, 2 or 3 worker processes, a sweep gives the serial runs (property)', async (t) => {
  const { data } = await fixtureStore(t);
  const server = await redis(t);
  for (const count of [1, 2, 3]) {
    const workers = await startWorkers(t, server.url, data, count);
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.integer({ min: 0, max: DAYS.length - 1 }), fc.integer({ min: 0, max: 1 })),
        fc.uniqueArray(fc.integer({ min: 8, max: 40 }), { minLength: 1, maxLength: 4 }),
        async ([start, more], every) => {
          const [from, to] = [DAYS[start]!, DAYS[Math.min(DAYS.length - 1, start + more)]!];
          const sweep = await runSweep({ strategy: FLAT_DAILY, from, to, grid: [`every=${every.join(',')}`, 'fail=17'], data, cash: CASH, queue: server.url, chunks: 1 });
          const serial = await serialRuns(data, from, to, every.map((e) => ({ every: e, fail: 17 })));
          t.deepEqual(pointRuns(sweep.points), serial);
        },
      ),
      { numRuns: 3 },
    );
    for (const worker of workers) worker.kill();
    await Promise.all(workers.map((worker) => worker.exited));
  }
});

test('a worker SIGKILLed mid-job: its job completes on another worker and the results equal the serial runs', async (t) => {
  const { root, data } = await fixtureStore(t);
  const server = await redis(t);
  const workers = await startWorkers(t, server.url, data, 2);
  const gate = gateIn(t, root);
  const grid = ['every=11,17', `gate=${gate.path}`];
  const sweep = runSweep({ strategy: FLAT_DAILY, from: DAYS[0]!, to: DAYS[1]!, grid, data, cash: CASH, queue: server.url, chunks: 1 });
  await workers[0]!.waitFor(/started \S+/, 'stdout', 30_000);
  const job = /started (\S+)/.exec(workers[0]!.stdout)![1]!;
  workers[0]!.child.kill('SIGKILL');
  await workers[0]!.exited;
  t.false(workers[0]!.stdout.includes(`finished ${job}`), 'the kill landed after the job started and before it finished');
  await gate.open();
  const result = await sweep;
  t.true(workers[1]!.stdout.includes(`started ${job}`), `the other worker ran ${job}:\n${workers[1]!.stdout}`);
  t.true(workers[1]!.stdout.includes(`finished ${job}`));
  t.deepEqual(pointRuns(result.points), await serialGated(data, [11, 17], gate.path));
});

test('Redis restarted empty mid-sweep: the sweep enqueues the lost jobs again and gives the serial runs', async (t) => {
  const { root, data } = await fixtureStore(t);
  const server = await redis(t);
  const [worker] = await startWorkers(t, server.url, data, 1);
  const gate = gateIn(t, root);
  const sweep = runSweep({ strategy: FLAT_DAILY, from: DAYS[0]!, to: DAYS[1]!, grid: ['every=11,17', `gate=${gate.path}`], data, cash: CASH, queue: server.url, chunks: 1 });
  await worker!.waitFor(/started \S+/, 'stdout', 30_000);
  const job = /started (\S+)/.exec(worker!.stdout)![1]!;
  await server.kill();
  await server.launch();
  await gate.open();
  const result = await sweep;
  t.is(worker!.stdout.split(`started ${job}\n`).length - 1, 2, `the lost job ran again:\n${worker!.stdout}`);
  t.deepEqual(pointRuns(result.points), await serialGated(data, [11, 17], gate.path));
});

test('Redis gone mid-sweep and not back: the sweep fails with QUEUE_UNREACHABLE, not a partial result', async (t) => {
  const { root, data } = await fixtureStore(t);
  const server = await redis(t);
  const [worker] = await startWorkers(t, server.url, data, 1);
  const gate = gateIn(t, root);
  const sweep = runSweep({ strategy: FLAT_DAILY, from: DAYS[0]!, to: DAYS[0]!, grid: ['every=11,17', `gate=${gate.path}`], data, cash: CASH, queue: server.url, chunks: 1, queueTimeoutMs: 3000 });
  await worker!.waitFor(/started \S+/, 'stdout', 30_000);
  await server.kill();
  const error = await t.throwsAsync(sweep);
  t.true(isSweepError(error, 'QUEUE_UNREACHABLE'), String(error));
  t.regex(error!.message, new RegExp(`^Redis at ${server.url} stopped answering mid-sweep within 3 s: start it`));
});

test('an unreachable Redis fails the sweep with QUEUE_UNREACHABLE', async (t) => {
  const { data } = await fixtureStore(t);
  const server = await redis(t);
  await server.kill();
  const error = await t.throwsAsync(runSweep({ strategy: FLAT_DAILY, from: DAYS[0]!, to: DAYS[0]!, grid: ['every=11'], data, queue: server.url, queueTimeoutMs: 1000 }));
  t.true(isSweepError(error, 'QUEUE_UNREACHABLE'), String(error));
  t.regex(error!.message, /did not answer within 1 s/);
});
