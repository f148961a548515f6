import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Importing tapedeck is what every strategy file costs, in the main thread and in each sweep
// pool thread. The clients of a job queue (BullMQ, ioredis), the thread pool (piscina), the
// socket feed's wire (ws, @msgpack/msgpack) and the inspector's layout (elkjs) are loaded when
// a queue, a sweep, a feed or the inspector is used, not before: together ~25 ms of wall time
// and ~35 ms of CPU in each process.

const INDEX = fileURLToPath(new URL('../index.ts', import.meta.url));
const FEED = fileURLToPath(new URL('../feeds/alpaca/alpaca-feed.ts', import.meta.url));
const GRAPH = fileURLToPath(new URL('../inspector/machine-graph.ts', import.meta.url));
const LAYOUT = fileURLToPath(new URL('../inspector/graph-layout.ts', import.meta.url));
const LOADED_WHEN_USED = ['bullmq', 'ioredis', 'piscina', 'ws', '@msgpack/msgpack', 'elkjs'];

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

test('importing tapedeck loads neither BullMQ, ioredis, piscina, ws, @msgpack/msgpack nor elkjs', async (t) => {
  t.deepEqual(await loadedAfter(`await import(${JSON.stringify(INDEX)});`, LOADED_WHEN_USED), []);
});

test('they load once a queue worker starts, a feed connects and a diagram is laid out', async (t) => {
  const script = `const { startQueueWorker, sessionMachine } = await import(${JSON.stringify(INDEX)});
await startQueueWorker({ url: 'not a url', name: 'q', data: '.' }).catch(() => {});
const { AlpacaFeed } = await import(${JSON.stringify(FEED)});
const feed = new AlpacaFeed({ keyId: 'key', secretKey: 'secret', streamUrl: 'ws://127.0.0.1:1/v2/iex', restUrl: 'http://127.0.0.1:1' });
// Nothing listens on port 1: the first status after 'connecting' comes once the wire loaded and the socket failed.
await new Promise((resolve) => {
  const stop = feed.start({ bars() {}, sentThrough() {}, status(status) { if (status.state !== 'connecting') { stop(); resolve(); } } });
});
const { machineGraph } = await import(${JSON.stringify(GRAPH)});
const { layoutGraph } = await import(${JSON.stringify(LAYOUT)});
await layoutGraph(machineGraph(sessionMachine));`;
  t.deepEqual(await loadedAfter(script, LOADED_WHEN_USED), LOADED_WHEN_USED);
});

const IMPORTER = fileURLToPath(new URL('../storage/import/csv-import.ts', import.meta.url));
const MEMORY_STORE = fileURLToPath(new URL('../storage/bars/memory-bar-store.ts', import.meta.url));

/** Whether a fresh process that imports `csv` loaded temporal-polyfill, by `import` (seen by a load hook) or by `require`. */
async function importLoadsTemporal(csv: string): Promise<boolean> {
  // The hook thread answers a ping after every load it reported, on the same port: the answer says all of them have arrived.
  const hooks = `export async function initialize({ port }) { globalThis.port = port; port.on('message', () => port.postMessage('pong')); port.unref(); }
export async function load(url, context, next) { if (url.includes('/temporal-polyfill/')) globalThis.port.postMessage(url); return next(url, context); }`;
  const probe = `const { register, createRequire } = await import('node:module');
const { MessageChannel } = await import('node:worker_threads');
const { mkdtemp, writeFile } = await import('node:fs/promises');
const { tmpdir } = await import('node:os');
const path = await import('node:path');
const { port1, port2 } = new MessageChannel();
let imported = false;
let answered;
const pong = new Promise((resolve) => (answered = resolve));
port1.on('message', (message) => (message === 'pong' ? answered() : (imported = true)));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), { data: { port: port2 }, transferList: [port2] });
const { importCsv } = await import(${JSON.stringify(IMPORTER)});
const { MemoryBarStore } = await import(${JSON.stringify(MEMORY_STORE)});
const file = path.join(await mkdtemp(path.join(tmpdir(), 'tapedeck-import-cost-')), 'AAPL.csv');
await writeFile(file, ${JSON.stringify(csv)});
await importCsv({ file, symbol: 'AAPL', store: new MemoryBarStore() });
port1.postMessage('ping');
await pong;
port1.close();
const required = Object.keys(createRequire(import.meta.url).cache).some((name) => name.includes('/node_modules/temporal-polyfill/'));
await (await import('node:fs/promises')).rm(path.dirname(file), { recursive: true });
process.stdout.write(JSON.stringify(imported || required));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=tapedeck-source', '--import', 'tsx', '--input-type=module', '-e', probe]);
  return JSON.parse(stdout) as boolean;
}

test('importing a CSV of UTC times does not load temporal-polyfill; one of exchange-local times does', async (t) => {
  t.false(await importLoadsTemporal('timestamp,open,high,low,close,volume\n2024-03-08T14:30:00Z,1,1,1,1,1\n'));
  t.true(await importLoadsTemporal('timestamp,open,high,low,close,volume\n2024-03-08 09:30:00,1,1,1,1,1\n'));
});

/** How many time zones a fresh process that imports `csv` with `timeZone` asked Intl about. */
async function zoneLookups(csv: string, timeZone?: string): Promise<number> {
  const probe = `let lookups = 0;
const DateTimeFormat = Intl.DateTimeFormat;
Intl.DateTimeFormat = function (locale, options) { if (options?.timeZone !== undefined) lookups++; return new DateTimeFormat(locale, options); };
const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
const { tmpdir } = await import('node:os');
const path = await import('node:path');
const { importCsv } = await import(${JSON.stringify(IMPORTER)});
const { MemoryBarStore } = await import(${JSON.stringify(MEMORY_STORE)});
const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-import-cost-'));
await writeFile(path.join(dir, 'AAPL.csv'), ${JSON.stringify(csv)});
await importCsv({ file: path.join(dir, 'AAPL.csv'), symbol: 'AAPL', store: new MemoryBarStore(), ${timeZone === undefined ? '' : `timeZone: ${JSON.stringify(timeZone)}`} });
await rm(dir, { recursive: true });
process.stdout.write(String(lookups));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=tapedeck-source', '--import', 'tsx', '--input-type=module', '-e', probe]);
  return Number(stdout);
}

test('importing UTC times in the default time zone never looks a zone up; a zone given is checked', async (t) => {
  const utc = 'timestamp,open,high,low,close,volume\n2024-03-08T14:30:00Z,1,1,1,1,1\n';
  t.is(await zoneLookups(utc), 0);
  t.is(await zoneLookups(utc, 'America/New_York'), 0);
  t.true((await zoneLookups(utc, 'Europe/London')) > 0);
});
