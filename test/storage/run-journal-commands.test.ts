import test from 'ava';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunCommand } from '../../run/run-command.js';
import { isJournalError } from '../../storage/journal/journal-error.js';
import { encodeRecord } from '../../storage/journal/journal-log.js';
import { RUN_JOURNAL_FILE, RunJournal, type RecordedRun } from '../../storage/journal/run-journal.js';
import { tempDir } from '../control/session-fixture.js';

const RUN: RecordedRun = { strategy: 's', strategySha256: 'x', params: {}, days: ['2024-03-04', '2024-03-05'], symbols: null, cash: 1000, commission: {}, slippage: {} };
const COMMANDS: RunCommand[] = [
  { date: '2024-03-04', sim: Date.parse('2024-03-04T15:00:00Z'), command: { op: 'add', symbol: 'TSLA', streams: ['1m', '5m'] } },
  { date: '2024-03-05', sim: Date.parse('2024-03-05T16:00:00Z'), command: { op: 'remove', symbol: 'AAPL', immediate: false, flatten: true }, planned: 2 },
];

async function journaled(): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await tempDir('run-journal-commands');
  const journal = RunJournal.open(dir.path);
  journal.begin(RUN);
  for (const command of COMMANDS) journal.recordCommand(command);
  return { file: join(dir.path, RUN_JOURNAL_FILE), remove: () => dir.remove() };
}

test('commands come back from the run journal with their day, minute, options and plan index; a resume hands them to the run', async (t) => {
  const { file, remove } = await journaled();
  t.teardown(remove);
  const dir = join(file, '..');
  t.deepEqual(RunJournal.read(dir)?.commands, COMMANDS);
  // A kill while the next record was being written: the torn line is ignored.
  await appendFile(file, '0123456789abcdef {"type":"command","date":"2024-03-05","si');
  const resumed = RunJournal.open(dir, { resume: true });
  resumed.begin(RUN);
  t.deepEqual(resumed.commands(), COMMANDS);
  t.deepEqual(RunJournal.open(dir).commands(), [], 'a journal started over has none to replay');
});

test('a command record of the wrong shape under a good checksum is refused with its number', async (t) => {
  const { file, remove } = await journaled();
  t.teardown(remove);
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
  const bad = lines.findIndex((line) => line.includes('"flatten"'));
  lines[bad] = encodeRecord({ type: 'command', date: '2024-03-05', sim: 1, command: { op: 'remove', symbol: 'AAPL', immediate: false } }).trimEnd();
  await writeFile(file, `${lines.join('\n')}\n${encodeRecord({ type: 'end', wall: 0 })}`);
  const error = t.throws(() => RunJournal.read(join(file, '..')));
  t.true(isJournalError(error, 'JOURNAL_CORRUPT'), String(error));
  t.regex(error!.message, new RegExp(`record ${bad + 1} is not a command`));
});
