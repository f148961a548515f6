import test from 'ava';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SymbolStatus } from '../../model/symbol-status.js';
import { isSessionError } from '../../model/session-error.js';
import type { RecordedConfig, RecordedSymbol } from '../../model/session-recorder.js';
import { SessionJournal } from '../../storage/journal/session-journal.js';
import { killMidWrite } from './child-process.js';

const KILLS = 4;
const config: RecordedConfig = { mode: 'backtest', date: '2024-03-08', calendar: 'nyse', speed: 'max', extendedHours: false, symbols: [{ symbol: 'AAPL', streams: ['1m', '5m'] }] };

async function runDir(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tapedeck-journal-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  return path.join(root, 'run');
}

function entry(symbol: string, status: SymbolStatus, minute = 1): RecordedSymbol {
  return { symbol, status, streams: ['1m', '15m'], addedAt: { sim: 1_000, wall: 2_000 }, updatedAt: { sim: minute * 60_000, wall: 3_000 + minute } };
}

test('what is recorded reads back from another reader, one entry per symbol', async (t) => {
  const dir = await runDir(t);
  const before = Date.now();
  const journal = await SessionJournal.open(dir);
  t.is(journal.file, path.join(dir, 'journal.json'));
  journal.recordConfig(config);
  journal.recordTransition('starting', { sim: 10, wall: 20 });
  journal.recordTransition('streaming', { sim: 11, wall: 21 });
  journal.recordSymbol(entry('TSLA', 'queued'));
  journal.recordSymbol(entry('NVDA', 'loading'));
  journal.recordSymbol({ ...entry('TSLA', 'failed', 5), error: { code: 'LOAD_TIMEOUT', message: 'too slow' } });
  // Re-added after failing: the new entry replaces the old one.
  journal.recordSymbol(entry('TSLA', 'active', 9));
  await journal.flush();

  const read = await SessionJournal.read(dir);
  t.deepEqual(read, journal.record);
  t.is(read!.pid, process.pid);
  t.true(read!.startedAt >= before && read!.startedAt <= Date.now());
  t.deepEqual(read!.config, config);
  t.deepEqual(read!.state, { name: 'streaming', sim: 11, wall: 21 });
  t.deepEqual(read!.transitions, [{ state: 'starting', sim: 10, wall: 20 }, { state: 'streaming', sim: 11, wall: 21 }]);
  t.deepEqual(read!.symbols, [entry('TSLA', 'active', 9), entry('NVDA', 'loading')]);
  t.is(read!.endedAt, undefined);

  journal.recordTransition('closed', { sim: 12, wall: 22 });
  await journal.flush();
  t.is((await SessionJournal.read(dir))!.endedAt, 22);
});

test('the journal keeps copies: later changes to what was passed in are not recorded', async (t) => {
  const journal = await SessionJournal.open(await runDir(t));
  const symbol = entry('TSLA', 'active');
  const configured = structuredClone(config);
  journal.recordSymbol(symbol);
  journal.recordConfig(configured);
  symbol.streams.push('1h');
  symbol.addedAt.sim = -1;
  configured.symbols[0]!.streams.push('1h');
  const record = journal.record;
  t.deepEqual(record.symbols, [entry('TSLA', 'active')]);
  t.deepEqual(record.config, config);
  record.symbols.length = 0;
  t.is(journal.record.symbols.length, 1, 'the record getter hands out a copy');
  await journal.flush();
});

test('resume carries over queued, loading, catchingUp and active symbols, not draining, removed or failed', async (t) => {
  const dir = await runDir(t);
  const first = await SessionJournal.open(dir);
  const statuses: SymbolStatus[] = ['queued', 'loading', 'catchingUp', 'active', 'draining', 'removed', 'failed'];
  statuses.forEach((status, i) => first.recordSymbol(entry(`S${i}`, status)));
  first.recordTransition('streaming', { sim: 1, wall: 2 });
  await first.flush();

  const resumed = await SessionJournal.open(dir, { resume: true });
  const expected = ['S0', 'S1', 'S2', 'S3'].map((symbol) => ({ symbol, streams: ['1m', '15m'] }));
  t.deepEqual(resumed.resumableSymbols(), expected);
  t.deepEqual(resumed.record.symbols.map((s) => s.symbol), ['S0', 'S1', 'S2', 'S3']);
  t.is(resumed.record.state, null, 'the new run starts its own state history');
  t.deepEqual(resumed.record.transitions, []);
  // What to resume was fixed at open: the new run re-adding a symbol does not change it.
  resumed.recordSymbol(entry('S0', 'removed'));
  t.deepEqual(resumed.resumableSymbols(), expected);
  await resumed.flush();
  t.deepEqual((await SessionJournal.read(dir))!.symbols.map((s) => `${s.symbol}:${s.status}`), ['S0:removed', 'S1:loading', 'S2:catchingUp', 'S3:active']);

  const fresh = await SessionJournal.open(dir);
  t.deepEqual(fresh.resumableSymbols(), []);
  t.deepEqual((await SessionJournal.read(dir))!.symbols, [], 'without resume the earlier record is replaced on open');
});

test('resume with no earlier journal starts empty; read of a run that never was is undefined', async (t) => {
  const dir = await runDir(t);
  t.is(await SessionJournal.read(dir), undefined);
  const journal = await SessionJournal.open(dir, { resume: true });
  t.deepEqual(journal.resumableSymbols(), []);
  t.deepEqual((await SessionJournal.read(dir))!.symbols, []);
});

test.serial('1000 transitions in a burst cost two writes and leave the final state on disk', async (t) => {
  const journal = await SessionJournal.open(await runDir(t));
  const rename = fsPromises.rename;
  let writes = 0;
  // steno renames its temp file over the journal once per write: count those.
  fsPromises.rename = async (from, to) => {
    if (to === journal.file) writes++;
    return rename(from, to);
  };
  syncBuiltinESMExports();
  try {
    for (let i = 0; i < 1000; i++) journal.recordTransition(`s${i}`, { sim: i, wall: i + 1 });
    await journal.flush();
  } finally {
    fsPromises.rename = rename;
    syncBuiltinESMExports();
  }
  t.is(writes, 2, 'one write in flight, one pending with the latest record');
  const read = await SessionJournal.read(path.dirname(journal.file));
  t.deepEqual(read!.state, { name: 's999', sim: 999, wall: 1000 });
  t.is(read!.transitions.length, 500);
  t.deepEqual(read!.transitions[0], { state: 's500', sim: 500, wall: 501 });
  t.deepEqual(read!.transitions.at(-1), { state: 's999', sim: 999, wall: 1000 });
});

test('a failed write is reported by flush, never thrown into the session, and cleared by the next good write', async (t) => {
  const dir = await runDir(t);
  const journal = await SessionJournal.open(dir);
  // Replace the run folder with a file: the next write cannot create its temp file.
  await rm(dir, { recursive: true });
  await writeFile(dir, 'not a folder');
  t.notThrows(() => journal.recordTransition('streaming', { sim: 1, wall: 2 }));
  await t.throwsAsync(() => journal.flush(), { message: /ENOTDIR|ENOENT/ });
  await t.throwsAsync(() => journal.flush(), undefined, 'the failure stays until a write succeeds');
  await rm(dir);
  await mkdir(dir);
  journal.recordTransition('closed', { sim: 3, wall: 4 });
  await journal.flush();
  t.deepEqual((await SessionJournal.read(dir))!.transitions.map((x) => x.state), ['streaming', 'closed']);
});

const unreadable: Array<[string, string, RegExp]> = [
  ['truncated', '{\n  "version": 1,\n  "pid": 12,\n  "startedAt": 17', /not valid JSON/],
  ['empty', '', /not valid JSON/],
  ['another version', JSON.stringify({ version: 2 }), /version 2/],
  ['no symbols', JSON.stringify({ version: 1, pid: 1, startedAt: 1, config: null, state: null, transitions: [] }), /"symbols" is not an array/],
  ['a symbol with an unknown status', JSON.stringify({ version: 1, pid: 1, startedAt: 1, config: null, state: null, transitions: [], symbols: [{ ...entry('A', 'active'), status: 'zombie' }] }), /symbols\[0\]/],
];

for (const [label, content, why] of unreadable) {
  test(`an unreadable journal (${label}) is CORRUPT_FILE naming the file, on read and on resume`, async (t) => {
    const dir = await runDir(t);
    await (await SessionJournal.open(dir)).flush();
    const file = path.join(dir, 'journal.json');
    await writeFile(file, content);
    for (const work of [() => SessionJournal.read(dir), () => SessionJournal.open(dir, { resume: true })]) {
      const error = await t.throwsAsync(work);
      t.true(isSessionError(error, 'CORRUPT_FILE'), String(error));
      t.true(error!.message.includes(file), error!.message);
      t.regex(error!.message, why);
    }
    t.is(await readFile(file, 'utf8'), content, 'a failed resume leaves the journal for inspection');
    await SessionJournal.open(dir);
    t.is((await SessionJournal.read(dir))!.version, 1, 'a fresh run replaces it');
  });
}

test('a journal killed at any moment while writing always loads whole', async (t) => {
  const dir = await runDir(t);
  for (let attempt = 0; attempt < KILLS; attempt++) {
    await killMidWrite('journal-loop.ts', [dir], 1 + Math.floor(Math.random() * 20), Math.random() * 30);
    const record = await SessionJournal.read(dir);
    t.truthy(record);
    // The transition and the symbol of one round land in the same write, or neither does.
    const [, symbol, round] = /^updated-(S\d+)-(\d+)$/.exec(record!.state!.name)!;
    const updated = record!.symbols.find((s) => s.symbol === symbol);
    t.is(updated?.updatedAt.sim, Number(round) * 60_000, `round ${round} was written whole`);
    t.is(new Set(record!.symbols.map((s) => s.symbol)).size, record!.symbols.length);
  }
});
