import test from 'ava';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar } from '../../model/bar.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';

// Counts the files the store opens: fs/promises' `open`, replaced in this worker only (ava runs
// each test file in a process of its own). The tests share the count, so they run one at a time.
const fsPromises = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
const realOpen = fsPromises.open;
const opened: string[] = [];
fsPromises.open = ((file: Parameters<typeof realOpen>[0], ...rest: unknown[]) => {
  opened.push(String(file));
  return (realOpen as (...args: unknown[]) => ReturnType<typeof realOpen>)(file, ...rest);
}) as typeof realOpen;
syncBuiltinESMExports();

const OPEN = Date.UTC(2024, 2, 8, 14, 30);

function dayOf(symbol: number): Bar[] {
  return Array.from({ length: 390 }, (_, i) => ({ t: OPEN + i * 60_000, o: symbol + 1, h: symbol + 2, l: symbol, c: symbol + 1.5, v: i + 1 }));
}

test.serial('symbols of one day loaded at once read its segment file once, not once a symbol', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-shared-reads-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const symbols = Array.from({ length: 40 }, (_, i) => `S${i}`);
  await new ArrowBarStore(dir).putManyBars('1m', new Map(symbols.map((symbol, i) => [symbol, dayOf(i)])));
  const segments = (await readdir(join(dir, '1m', '2024-03-08'))).filter((name) => name.endsWith('.arrow'));
  t.is(segments.length, 1);

  // A new store has nothing cached, as at the start of a session.
  const store = new ArrowBarStore(dir);
  opened.length = 0;
  const days = await Promise.all(symbols.map((symbol) => store.getBarColumns(symbol, '1m', OPEN, OPEN + 390 * 60_000)));
  t.deepEqual(opened.filter((file) => file.endsWith('.arrow')), [join(dir, '1m', '2024-03-08', segments[0]!)]);
  t.deepEqual(days.map((day) => [day.length, day.o[0]]), symbols.map((_, i) => [390, i + 1]));
});

test.serial('a prefetched day is read from the cache: the read after it opens no file and gives the same bars', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-prefetch-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const symbols = Array.from({ length: 20 }, (_, i) => `S${i}`);
  await new ArrowBarStore(dir).putManyBars('1m', new Map(symbols.map((symbol, i) => [symbol, dayOf(i)])));
  const close = OPEN + 390 * 60_000;
  const fresh = await new ArrowBarStore(dir).getManyBarColumns(symbols, '1m', OPEN, close);

  const store = new ArrowBarStore(dir);
  opened.length = 0;
  await store.prefetch('1m', OPEN, close);
  t.is(opened.filter((file) => file.endsWith('.arrow')).length, 1, 'the prefetch read the segment');
  opened.length = 0;
  const read = await store.getManyBarColumns(symbols, '1m', OPEN, close);
  t.deepEqual(opened, []);
  t.deepEqual(
    [...read].map(([symbol, day]) => [symbol, [...day.t.subarray(0, day.length)], [...day.c.subarray(0, day.length)]]),
    [...fresh].map(([symbol, day]) => [symbol, [...day.t.subarray(0, day.length)], [...day.c.subarray(0, day.length)]]),
  );
});

test.serial('a prefetch that meets a damaged file resolves; the read that needs the bars reports CORRUPT_FILE', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-prefetch-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await new ArrowBarStore(dir).putManyBars('1m', new Map([['S0', dayOf(0)]]));
  const partition = join(dir, '1m', '2024-03-08');
  const [segment] = (await readdir(partition)).filter((name) => name.endsWith('.arrow'));
  await writeFile(join(partition, segment!), 'not an arrow file');
  const store = new ArrowBarStore(dir);
  await t.notThrowsAsync(store.prefetch('1m', OPEN, OPEN + 390 * 60_000));
  await t.throwsAsync(store.getManyBarColumns(['S0'], '1m', OPEN, OPEN + 390 * 60_000), { code: 'CORRUPT_FILE' } as never);
});
