import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// BullMQ and its Redis client are loaded by a queued sweep or a queue worker only: importing
// tapedeck (every strategy file does, in the main thread and in each pool thread) must not
// pay for them.

const INDEX = fileURLToPath(new URL('../../index.ts', import.meta.url));

/** The Redis client's files in the module cache of a fresh process after `script`. */
async function redisLoadedAfter(script: string): Promise<boolean> {
  const probe = `${script}
const { createRequire } = await import('node:module');
const loaded = Object.keys(createRequire(import.meta.url).cache).some((file) => /[\\\\/]node_modules[\\\\/]ioredis[\\\\/]/.test(file));
process.stdout.write(String(loaded));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=tapedeck-source', '--import', 'tsx', '--input-type=module', '-e', probe]);
  return stdout === 'true';
}

test('importing tapedeck does not load BullMQ or its Redis client', async (t) => {
  t.false(await redisLoadedAfter(`await import(${JSON.stringify(INDEX)});`));
});

test('the probe sees them once a queue worker starts loading them', async (t) => {
  t.true(await redisLoadedAfter(`const { startQueueWorker } = await import(${JSON.stringify(INDEX)}); await startQueueWorker({ url: 'not a url', name: 'q', data: '.' }).catch(() => {});`));
});
