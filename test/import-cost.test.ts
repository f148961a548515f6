import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Importing tapedeck is what every strategy file costs, in the main thread and in each sweep
// pool thread. The clients of a job queue (BullMQ, ioredis) and of a socket feed (ws) are
// loaded when a queue or a feed is used, not before.

const INDEX = fileURLToPath(new URL('../index.ts', import.meta.url));

/** The packages of `names` in the CommonJS module cache of a fresh process after `script`. */
async function loadedAfter(script: string, names: readonly string[]): Promise<string[]> {
  const probe = `${script}
const { createRequire } = await import('node:module');
const files = Object.keys(createRequire(import.meta.url).cache);
const names = ${JSON.stringify(names)};
process.stdout.write(JSON.stringify(names.filter((name) => files.some((file) => file.includes('/node_modules/' + name + '/')))));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=tapedeck-source', '--import', 'tsx', '--input-type=module', '-e', probe]);
  return JSON.parse(stdout) as string[];
}

test('importing tapedeck loads neither BullMQ, ioredis nor ws', async (t) => {
  t.deepEqual(await loadedAfter(`await import(${JSON.stringify(INDEX)});`, ['bullmq', 'ioredis', 'ws']), []);
});

test('the probe sees them once a queue worker starts and a socket is asked for', async (t) => {
  const script = `const { startQueueWorker } = await import(${JSON.stringify(INDEX)});
await startQueueWorker({ url: 'not a url', name: 'q', data: '.' }).catch(() => {});
await import('ws');`;
  t.deepEqual(await loadedAfter(script, ['bullmq', 'ioredis', 'ws']), ['bullmq', 'ioredis', 'ws']);
});
