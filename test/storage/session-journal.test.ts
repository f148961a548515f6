import test from 'ava';
import { fc } from '@fast-check/ava';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SymbolStatus } from '../../model/symbol-status.js';
import type { RecordedConfig, RecordedSymbol } from '../../model/session-recorder.js';
import { isJournalError, type JournalError } from '../../storage/journal/journal-error.js';
import { encodeRecord, JOURNAL_VERSION, parseJournalLog } from '../../storage/journal/journal-log.js';
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

/** A journal of a run that got to minute 42 with three commands, as a killed process leaves it. */
async function interruptedRun(dir: string): Promise<SessionJournal> {
  const journal = await SessionJournal.open(dir);
  t0(journal.begin(config));
  journal.recordTransition('streaming', { sim: 0, wall: 5 });
  journal.recordCommand({ sim: 10 * 60_000, command: { op: 'add', symbol: 'TSLA', streams: ['1m', '5m'] } });
  journal.recordProgress(30 * 60_000);
  journal.recordCommand({ sim: 30 * 60_000, command: { op: 'remove', symbol: 'AAPL', immediate: false }, planned: 4 });
  journal.recordCommand({ sim: 30 * 60_000, command: { op: 'add', symbol: 'AAPL', streams: ['1m'] } });
  journal.recordProgress(42 * 60_000);
  journal.recordProgress(41 * 60_000);
  journal.recordSymbol(entry('TSLA', 'active', 11));
  return journal;
}

function t0(value: unknown): void {
  if (value !== undefined) throw new Error('a fresh journal has nothing to replay');
}

const commandsOfInterruptedRun = [
  { sim: 10 * 60_000, command: { op: 'add', symbol: 'TSLA', streams: ['1m', '5m'] } },
  { sim: 30 * 60_000, command: { op: 'remove', symbol: 'AAPL', immediate: false }, planned: 4 },
  { sim: 30 * 60_000, command: { op: 'add', symbol: 'AAPL', streams: ['1m'] } },
];

test('the journal is a command log: configuration, commands with their minutes, the last minute reached, states and symbols', async (t) => {
  const dir = await runDir(t);
  const before = Date.now();
  const journal = await interruptedRun(dir);
  t.is(journal.file, path.join(dir, 'journal.jsonl'));
  const read = (await SessionJournal.read(dir))!;
  t.deepEqual(read, journal.record, 'what another process reads is what was recorded, without a flush: every record is written when made');
  t.is(read.pid, process.pid);
  t.true(read.startedAt >= before && read.startedAt <= Date.now());
  t.deepEqual(read.config, config);
  t.deepEqual(read.commands, commandsOfInterruptedRun);
  t.is(read.reached, 42 * 60_000, 'the latest minute, not the last written');
  t.deepEqual(read.symbols, [entry('TSLA', 'active', 11)]);
  t.deepEqual(read.state, { name: 'streaming', sim: 0, wall: 5 });
  t.is(read.endedAt, undefined);
  // One JSON line a record, each behind its checksum; the first says the format.
  const lines = (await readFile(journal.file, 'utf8')).trimEnd().split('\n');
  t.regex(lines[0]!, new RegExp(`^[0-9a-f]{16} \\{"type":"journal","format":"tapedeck-journal","version":${JOURNAL_VERSION}\\}$`));
  t.true(lines.every((line) => /^[0-9a-f]{16} \{.*\}$/.test(line)));

  journal.recordTransition('closed', { sim: 12, wall: 22 });
  await journal.flush();
  t.is((await SessionJournal.read(dir))!.endedAt, 22);
});

test('resume hands back the commands and the minute reached, checks the run is the same, and appends after them', async (t) => {
  const dir = await runDir(t);
  await interruptedRun(dir);
  const resumed = await SessionJournal.open(dir, { resume: true });
  t.deepEqual(resumed.begin(config), { commands: commandsOfInterruptedRun, reached: 42 * 60_000 });
  resumed.recordProgress(40 * 60_000);
  resumed.recordCommand({ sim: 50 * 60_000, command: { op: 'add', symbol: 'NVDA', streams: ['1m'] } });
  resumed.recordProgress(60 * 60_000);
  await resumed.flush();
  const read = (await SessionJournal.read(dir))!;
  t.is(read.runs, 2);
  t.deepEqual(read.commands.map((c) => c.command.symbol), ['TSLA', 'AAPL', 'AAPL', 'NVDA']);
  t.is(read.reached, 60 * 60_000);
  const text = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
  t.is(text.match(/"type":"progress","sim":2400000/g), null, 'a minute below the one reached is not written again');
  t.is(text.match(/"type":"config"/g)!.length, 1, 'the configuration is written once per run');

  const fresh = await SessionJournal.open(dir);
  t.is(fresh.begin(config), undefined);
  t.deepEqual((await SessionJournal.read(dir))!.commands, [], 'without resume the earlier journal is replaced');
});

test('a resume of another run is refused, saying what differs', async (t) => {
  const dir = await runDir(t);
  await interruptedRun(dir);
  const resumed = await SessionJournal.open(dir, { resume: true });
  const error = t.throws(() => resumed.begin({ ...config, date: '2024-03-11', symbols: [{ symbol: 'AAPL', streams: ['1m'] }, { symbol: 'MSFT', streams: ['1m'] }] }));
  t.true(isJournalError(error, 'JOURNAL_MISMATCH'), String(error));
  t.regex(error!.message, /date 2024-03-08 in the journal, 2024-03-11 asked/);
  t.regex(error!.message, /symbols AAPL\(1m,5m\) in the journal, AAPL\(1m\), MSFT\(1m\) asked/);
  t.regex(error!.message, /--force-new/);
  t.notRegex(error!.message, /calendar|extended/, 'only what differs is named');
  t.deepEqual(resumed.begin({ ...config, speed: 60 })?.reached, 42 * 60_000, 'the speed is not part of the run: results do not depend on it');
});

test('resume with no journal is NOTHING_TO_RESUME; a journal whose run died before it started resumes from nothing', async (t) => {
  const dir = await runDir(t);
  t.is(await SessionJournal.read(dir), undefined);
  const none = await t.throwsAsync(() => SessionJournal.open(dir, { resume: true }));
  t.true(isJournalError(none, 'NOTHING_TO_RESUME'), String(none));
  await SessionJournal.open(dir);
  const resumed = await SessionJournal.open(dir, { resume: true });
  t.deepEqual(resumed.begin(config), { commands: [], reached: Number.NEGATIVE_INFINITY });
  t.deepEqual((await SessionJournal.read(dir))!.config, config, 'the configuration is written then');
});

test('a torn last record is ignored on read, and cut off before a resume appends', async (t) => {
  const dir = await runDir(t);
  const journal = await interruptedRun(dir);
  journal.recordCommand({ sim: 43 * 60_000, command: { op: 'add', symbol: 'NVDA', streams: ['1m'] } });
  const whole = await readFile(journal.file);
  // The last record cut in its middle, as a kill during its write would leave it.
  await writeFile(journal.file, whole.subarray(0, whole.length - 9));
  const read = (await SessionJournal.read(dir))!;
  t.deepEqual(read.commands, commandsOfInterruptedRun, 'the torn command is not there; everything before it is');
  const resumed = await SessionJournal.open(dir, { resume: true });
  resumed.begin(config);
  resumed.recordCommand({ sim: 44 * 60_000, command: { op: 'add', symbol: 'MSFT', streams: ['1m'] } });
  t.deepEqual((await SessionJournal.read(dir))!.commands.map((c) => c.command.symbol), ['TSLA', 'AAPL', 'AAPL', 'MSFT'], 'the next record is not glued onto the torn one');
});

test('a journal cut at any byte reads as a whole prefix of its records', async (t) => {
  const dir = await runDir(t);
  const journal = await interruptedRun(dir);
  const whole = await readFile(journal.file);
  const full = parseJournalLog(whole, journal.file).bodies;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: whole.length }), (cut) => {
      const read = parseJournalLog(whole.subarray(0, cut), journal.file);
      t.deepEqual(read.bodies, full.slice(0, read.bodies.length));
      t.is(read.tornTail, cut !== read.validBytes);
      // Only a cut inside the last record's line loses that record, and nothing before it.
      const lastStart = whole.subarray(0, whole.length - 1).lastIndexOf(0x0a) + 1;
      if (cut >= lastStart && cut < whole.length) t.is(read.bodies.length, full.length - 1);
    }),
    { numRuns: 200 },
  );
});

test('a damaged record before the last is JOURNAL_CORRUPT with its number, on read and on resume; the file is left as it is', async (t) => {
  const dir = await runDir(t);
  const journal = await interruptedRun(dir);
  const whole = await readFile(journal.file, 'utf8');
  const lines = whole.split('\n');
  // Record 5 is the first command (header, open, config, state, command): one digit changed.
  lines[4] = lines[4]!.replace('"sim":600000', '"sim":600001');
  const damaged = lines.join('\n');
  await writeFile(journal.file, damaged);
  for (const work of [() => SessionJournal.read(dir), () => SessionJournal.open(dir, { resume: true })]) {
    const error = await t.throwsAsync(work);
    t.true(isJournalError(error, 'JOURNAL_CORRUPT'), String(error));
    t.regex(error!.message, /record 5 of \d+ does not match its checksum/);
    t.true(error!.message.includes(journal.file));
    t.is((error as JournalError).details['record'], 5);
  }
  t.is(await readFile(journal.file, 'utf8'), damaged);
});

test('any byte changed in a record before the last is found, and named by its record number', async (t) => {
  const dir = await runDir(t);
  const journal = await interruptedRun(dir);
  const whole = await readFile(journal.file);
  const lastStart = whole.subarray(0, whole.length - 1).lastIndexOf(0x0a) + 1;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: lastStart - 2 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
      const damaged = Buffer.from(whole);
      damaged[at] = damaged[at]! ^ xor;
      // A newline made or unmade changes which line the byte is on; the record is the one it was in.
      const record = whole.subarray(0, at).toString('latin1').split('\n').length;
      const error = t.throws(() => parseJournalLog(damaged, 'journal.jsonl'));
      t.true(isJournalError(error, record === 1 ? undefined : 'JOURNAL_CORRUPT') || isJournalError(error, 'JOURNAL_VERSION'), String(error));
      if (isJournalError(error, 'JOURNAL_CORRUPT')) t.is(error.details['record'], record);
    }),
    { numRuns: 300 },
  );
});

test('a journal of another version is refused with JOURNAL_VERSION, saying so', async (t) => {
  const dir = await runDir(t);
  const file = path.join(dir, 'journal.jsonl');
  await SessionJournal.open(dir);
  // The journal of the earlier tapedeck: one JSON document.
  await writeFile(file, JSON.stringify({ version: 1, pid: 1, startedAt: 1, config: null, state: null, transitions: [], symbols: [] }, null, 2));
  const old = await t.throwsAsync(() => SessionJournal.open(dir, { resume: true }));
  t.true(isJournalError(old, 'JOURNAL_VERSION'), String(old));
  t.regex(old!.message, /earlier tapedeck .*format 1.*reads format 2.*--force-new/);
  await writeFile(file, encodeRecord({ type: 'journal', format: 'tapedeck-journal', version: 3 }) + encodeRecord({ type: 'open', pid: 1, startedAt: 1, resumed: false }));
  const newer = await t.throwsAsync(() => SessionJournal.read(dir));
  t.true(isJournalError(newer, 'JOURNAL_VERSION'), String(newer));
  t.regex(newer!.message, /format 3; this tapedeck reads format 2/);
});

test('a journal that cannot be written is JOURNAL_WRITE_FAILED; a bad record is kept for flush, never thrown into the session', async (t) => {
  const dir = await runDir(t);
  await mkdir(dir, { recursive: true });
  // Every write to /dev/full fails with ENOSPC, for root too.
  await symlink('/dev/full', path.join(dir, 'journal.jsonl'));
  const full = await t.throwsAsync(() => SessionJournal.open(dir));
  t.true(isJournalError(full, 'JOURNAL_WRITE_FAILED'), String(full));
  t.regex(full!.message, /ENOSPC/);
  await rm(dir, { recursive: true });

  const journal = await SessionJournal.open(dir);
  t.notThrows(() => journal.begin({ ...config, mode: 'paper' as 'live' }));
  journal.recordCommand({ sim: 1, command: { op: 'add', symbol: 'TSLA', streams: ['1m'] } });
  await t.throwsAsync(() => journal.flush(), { message: /is not a session configuration/ });
  t.is((await SessionJournal.read(dir))!.config, null, 'the bad record was not written');
  t.is((await SessionJournal.read(dir))!.commands.length, 1, 'the good ones were');
});

test('a journal killed at any moment while writing always loads whole, its commands in order with none missing', async (t) => {
  const dir = await runDir(t);
  let previous = 0;
  for (let attempt = 0; attempt < KILLS; attempt++) {
    await killMidWrite('journal-loop.ts', [dir], 1 + Math.floor(Math.random() * 200), Math.random() * 30);
    const record = (await SessionJournal.read(dir))!;
    const rounds = record.commands.map((c) => Number(c.command.symbol.slice(1)));
    t.deepEqual(rounds, rounds.map((_, i) => i), 'rounds 0..n, none missing, none twice');
    t.true(rounds.length >= previous, 'what a run wrote survives the next one');
    t.is(record.runs, attempt + 1);
    previous = rounds.length;
  }
});
