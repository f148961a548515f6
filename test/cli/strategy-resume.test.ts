import test, { type ExecutionContext } from 'ava';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { encodeRecord } from '../../storage/journal/journal-log.js';
import { RUN_JOURNAL_FILE } from '../../storage/journal/run-journal.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';
import { runCli } from './cli-process.js';

// A strategy run over three days, journaled and run to its end; then its journal cut back to
// what a run killed after day 2 leaves (the header, the run, days 1 and 2) and resumed: with
// the strategy's saved state it runs day 3 only, without it days 1 and 2 again; either way
// every result file is the uninterrupted run's, byte for byte.

const FROM = '2024-03-06';
const TO = '2024-03-08';

const root = await mkdtemp(join(tmpdir(), 'tapedeck-strategy-resume-'));
const data = join(root, 'data');
await generateDataset({ store: new ArrowBarStore(data), calendar: nyse, symbols: ['AAPL', 'MSFT'], from: '2024-02-28', to: TO, seed: 3 });
test.after.always('temp folder goes', () => rm(root, { recursive: true, force: true }));

let folders = 0;
const args = (strategy: string, runDir: string, out: string, more: string) => ['backtest', '--strategy', strategy, '--from', FROM, '--to', TO, '--data', data, '--run-dir', runDir, '--out', out, '--json', more];

/** The run made once, journaled, and a copy of its journal as a kill after day 2 leaves it: one line per record. */
/** Every result file (result.json, the CSVs, report.html with its candles), by name. */
async function resultFiles(out: string): Promise<Record<string, string>> {
  const names = ['result.json', 'fills.csv', 'trades.csv', 'equity.csv', 'report.html'];
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(out, name), 'utf8')] as const)));
}

/** File by file, naming the one that differs (a diff of report.html would drown the message). */
function assertSameFiles(t: ExecutionContext, actual: Record<string, string> | undefined, expected: Record<string, string>): void {
  for (const [name, text] of Object.entries(expected)) t.true(actual?.[name] === text, `${name} differs from the uninterrupted run's`);
}

async function interruptedAfterDay2(strategy: string): Promise<{ expected: Record<string, string>; lines: string[]; resume(lines: string[]): Promise<{ code: number | null; stdout: string; stderr: string; result?: Record<string, string> }> }> {
  const dir = join(root, `run-${folders++}`);
  const whole = await runCli(args(strategy, join(dir, 'whole'), join(dir, 'whole-out'), '--journal'));
  if (whole.code !== 0) throw new Error(whole.stderr);
  const journal = (await readFile(join(dir, 'whole', RUN_JOURNAL_FILE), 'utf8')).split('\n').filter((line) => line !== '');
  const types = journal.map((line) => (JSON.parse(line.slice(17)) as { type: string }).type);
  const lines = journal.slice(0, types.indexOf('day') + 2);
  return {
    expected: await resultFiles(join(dir, 'whole-out')),
    lines,
    async resume(edited) {
      const runDir = join(dir, `resumed-${folders++}`);
      await mkdir(runDir, { recursive: true });
      await writeFile(join(runDir, RUN_JOURNAL_FILE), `${edited.join('\n')}\n`);
      const out = join(dir, `out-${folders++}`);
      const run = await runCli(args(strategy, runDir, out, '--resume'));
      return { code: run.code, stdout: run.stdout, stderr: run.stderr, ...(run.code === 0 ? { result: await resultFiles(out) } : {}) };
    },
  };
}

const sma = interruptedAfterDay2('examples/sma-cross.ts');

test('a strategy that saves its state resumes at its first unfinished day: days 1–2 kept from the journal, day 3 run, the same result.json', async (t) => {
  const { expected, lines, resume } = await sma;
  const resumed = await resume(lines);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.stderr, /Days 1–2 of 3 kept from the journal; resuming day 3\/3 2024-03-08/);
  t.regex(resumed.stderr, /Day 3\/3 2024-03-08 streaming/);
  t.notRegex(resumed.stderr, /Day [12]\/3|Replaying day|\bday [12]\/3 /);
  assertSameFiles(t, resumed.result, expected);
});

test('a strategy that carries state without saveState/loadState resumes by running the completed days again, checked against the journal', async (t) => {
  const { expected, lines, resume } = await interruptedAfterDay2('test/fixtures/strategies/buy-and-hold.ts');
  t.false(lines.some((line) => line.includes('"checkpoint"')), 'its days are journaled without a state');
  const resumed = await resume(lines);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.stderr, /The completed days run again first, and must come out as recorded: buy-and-hold carries its state across days and has no saveState\/loadState/);
  t.regex(resumed.stderr, /Replaying day 1\/3 2024-03-06 \(done before the interruption\)[\s\S]*Replaying day 2\/3[\s\S]*Day 3\/3 2024-03-08 streaming/);
  assertSameFiles(t, resumed.result, expected);
});

test('a journal whose days hold no state (an earlier tapedeck wrote it) resumes by running them again', async (t) => {
  const { expected, lines, resume } = await sma;
  const withoutState = lines.map((line) => {
    const body = JSON.parse(line.slice(17)) as Record<string, unknown>;
    if (body.type !== 'day') return line;
    delete body.checkpoint;
    return encodeRecord(body).trimEnd();
  });
  const resumed = await resume(withoutState);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.stderr, /the journal holds no state of its days/);
  t.regex(resumed.stderr, /Replaying day 1\/3[\s\S]*Replaying day 2\/3[\s\S]*Day 3\/3 2024-03-08 streaming/);
  assertSameFiles(t, resumed.result, expected);
});

test("a damaged day's state is refused with its record number, whether its checksum fails or its shape", async (t) => {
  const { lines, resume } = await sma;
  const day1 = lines.findIndex((line) => line.includes('"type":"day"'));
  t.true(lines[day1]!.includes('"checkpoint"'));
  const flipped = [...lines];
  flipped[day1] = flipped[day1]!.replace('"cashUnits":', '"cashUnits":1');
  const torn = await resume(flipped);
  t.is(torn.code, 1, torn.stderr);
  // --json: the error is the JSON on stdout.
  t.regex(torn.stdout, new RegExp(`JOURNAL_CORRUPT[\\s\\S]*record ${day1 + 1} of ${lines.length} does not match its checksum`));

  const reshaped = [...lines];
  const body = JSON.parse(lines[day1]!.slice(17)) as { checkpoint: Record<string, unknown> };
  delete body.checkpoint.broker;
  reshaped[day1] = encodeRecord(body as unknown as Record<string, unknown>).trimEnd();
  const bad = await resume(reshaped);
  t.is(bad.code, 1, bad.stderr);
  t.regex(bad.stdout, new RegExp(`JOURNAL_CORRUPT[\\s\\S]*record ${day1 + 1} holds no valid state of day 1`));
});
