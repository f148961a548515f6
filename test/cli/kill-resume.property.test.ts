import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { readCommandPlan, readRunPlan } from '../../cli/command-plan.js';
import { recordFinalState } from '../../cli/final-state.js';
import type { Interval } from '../../model/bar.js';
import { silentLogger } from '../../model/logger.js';
import { runBacktest } from '../../run/run-backtest.js';
import type { Strategy } from '../../run/strategy.js';
import { createSession } from '../../session/create-session.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { RunJournal } from '../../storage/journal/run-journal.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';
import { tempDir } from '../control/session-fixture.js';
import { runCli } from './cli-process.js';
import { runAndKill, type KillMoment, type KillPhase, type PhaseMarkers } from '../support/kill-chain.js';

// A one-day backtest driven by a generated plan of adds and removals is killed with SIGKILL,
// again and again, each time resumed from its journal; the last resume runs to the close. Its
// onBar log and its data at the close must be those of the plan run once, uninterrupted.

const DATE = '2024-03-08';
const CONFIGURED = ['AAPL', 'MSFT'];
const OTHERS = ['TSLA', 'NVDA', 'AMD'];
const STREAMS: Interval[] = ['1m', '5m'];
/** `bench/kill-resume-soak.sh` raises these for a longer run by hand. */
const PLANS = Number(process.env['KILL_RESUME_PLANS'] ?? 4);
const KILLS_PER_PLAN = 4;
/** Fast enough that a day takes ~4 s, slow enough that a kill lands while it streams. */
const SPEED = '6000';

const MARKERS: PhaseMarkers = [
  [/tapedeck backtest /, 'loading'],
  [/Resuming the run of /, 'loading'],
  [/Replaying \d+ commands/, 'catching up'],
  [/Caught up to /, 'streaming'],
  [/Streaming\. /, 'streaming'],
];

interface PlanLine {
  minute: number;
  op: 'add' | 'remove';
  symbol: string;
  streams?: Interval[];
  immediate?: boolean;
}

/** Adds and removals a session accepts in order: a symbol is added when out, removed when in. */
const planArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 380 }), { minLength: 2, maxLength: 8 })
  .chain((minutes) =>
    fc.tuple(
      fc.constant(minutes.sort((a, b) => a - b)),
      fc.array(fc.tuple(fc.constantFrom(...CONFIGURED, ...OTHERS), fc.boolean(), fc.subarray(['5m', '15m'] as Interval[])), { minLength: minutes.length, maxLength: minutes.length }),
    ),
  )
  .map(([minutes, picks]) => {
    const inSession = new Set(CONFIGURED);
    return minutes.map((minute, i): PlanLine => {
      const [symbol, immediate, extra] = picks[i]!;
      if (inSession.delete(symbol)) return { minute, op: 'remove', symbol, immediate };
      inSession.add(symbol);
      return { minute, op: 'add', symbol, streams: ['1m', ...extra] };
    });
  });

/**
 * Where each kill is aimed, in turn, so that every phase is aimed at whatever the seed: the
 * first run of a plan is fresh (it loads or streams), the later ones resume (they also catch up).
 */
function aims(plan: number): Array<'loading' | 'catching up' | 'streaming'> {
  const resumed = ['catching up', 'loading', 'streaming'] as const;
  return [plan % 2 === 0 ? 'streaming' : 'loading', ...Array.from({ length: KILLS_PER_PLAN - 1 }, (_, k) => resumed[(plan + k) % resumed.length]!)];
}

/** The moment a kill aimed at `phase` comes: once the phase's line is out, at once or (streaming) a random while later. */
function momentFor(phase: 'loading' | 'catching up' | 'streaming', fresh: boolean, delayMs: number): KillMoment {
  if (phase === 'loading') return { after: fresh ? /tapedeck backtest / : /Resuming the run of /, delayMs: 0 };
  if (phase === 'catching up') return { after: /Replaying \d+ commands/, delayMs: 0 };
  // A resumed run streams from where the last one got, maybe late in the day: a short while, so the kill still finds it running.
  return { after: /Streaming\. /, delayMs: fresh ? delayMs : delayMs / 5 };
}

const delaysArb = fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: KILLS_PER_PLAN, maxLength: KILLS_PER_PLAN });

/** Every kill of the file, by kind of run: the phases each landed in, checked once all chains ran. */
const landed = { day: new Map<KillPhase, number>(), run: new Map<KillPhase, number>() };
const total = (phases: Map<KillPhase, number>) => [...phases.values()].reduce((sum, n) => sum + n, 0);
// A failure names its seed; KILL_RESUME_SEED=<seed> runs the same plans, params and kill moments again.
const SEED = Number(process.env['KILL_RESUME_SEED'] ?? Date.now() % 2 ** 31);
const DAY_PLANS = fc.sample(fc.tuple(planArb, delaysArb), { numRuns: PLANS, seed: SEED });

/** The store of the planned days, made once for every chain of the file. */
const dayData = (async () => {
  const dir = await tempDir('kill-resume');
  const data = join(dir.path, 'data');
  await generateDataset({ store: new ArrowBarStore(data), calendar: nyse, symbols: [...CONFIGURED, ...OTHERS], from: DATE, to: DATE, seed: 11 });
  return { dir, data };
})();

/**
 * The uninterrupted runs of every chain, made in this process before any chain starts: a run
 * made here blocks the event loop, and a kill that waits for it lands late, maybe after the end.
 */
const dayExpected: unknown[] = [];
test.before('the planned days run once, uninterrupted', async () => {
  const { dir, data } = await dayData;
  for (const [index, [plan]] of DAY_PLANS.entries()) {
    const planFile = join(dir.path, `plan-${index}.json`);
    await writeFile(planFile, JSON.stringify(plan));
    dayExpected.push(await uninterrupted(data, await readCommandPlan(planFile, nyse.session(DATE)!.open), join(dir.path, `expected-${index}.json`)));
  }
});

// One test per plan, so that each reports on its own and none runs for long.
for (const [index, [plan, delays]] of DAY_PLANS.entries()) {
  test(`planned day ${index + 1}: killed at random moments and resumed each time, it ends as the uninterrupted run`, async (t) => {
    const { dir, data } = await dayData;
    const planFile = join(dir.path, `plan-${index}.json`);
    const expected = dayExpected[index];
    const stateFile = join(dir.path, `state-${index}.json`);
    const args = ['backtest', '--date', DATE, '--symbols', CONFIGURED.join(','), '--streams', STREAMS.join(','), '--speed', SPEED, '--data', data, '--run-dir', join(dir.path, `run-${index}`), '--plan', planFile, '--state-out', stateFile, '--json'];
    const story: string[] = [];
    let kills = 0;
    for (const [k, aim] of aims(index).entries()) {
      const outcome = await runAndKill([...args, k === 0 ? '--journal' : '--resume'], momentFor(aim, k === 0, delays[k]!), MARKERS, stateFile);
      story.push(`aimed at ${aim}: ${outcome.killed ? 'killed' : 'not killed'} in ${outcome.phase}`);
      if (!outcome.killed) {
        t.is(outcome.process.child.exitCode, 0, `${outcome.process.stdout}\n${outcome.process.stderr}`);
        break;
      }
      kills++;
      landed.day.set(outcome.phase, (landed.day.get(outcome.phase) ?? 0) + 1);
    }
    if (!(await exists(stateFile))) {
      const last = await runCli([...args, '--resume']);
      t.is(last.code, 0, last.stderr);
    }
    t.deepEqual(JSON.parse(await readFile(stateFile, 'utf8')), expected, `seed ${SEED}, plan ${JSON.stringify(plan)}; ${story.join(', ')}`);
    t.log(story.join(', '));
    t.true(kills >= KILLS_PER_PLAN - 1, `only ${kills} kills landed: ${story.join(', ')}`);
  });
}

test.after('every phase was hit: loading, catching up and streaming in planned days, and between days in strategy runs', async (t) => {
  const show = (phases: Map<KillPhase, number>) => [...phases].map(([phase, n]) => `${phase} ${n}`).join(', ');
  t.log(`seed ${SEED}; ${total(landed.day) + total(landed.run)} kills; planned days: ${show(landed.day)}; strategy runs: ${show(landed.run)}`);
  const aimed = DAY_PLANS.length * KILLS_PER_PLAN + RUN_AIMS.flat().length;
  t.true(total(landed.day) + total(landed.run) >= aimed - 2, `${total(landed.day) + total(landed.run)} of ${aimed} kills landed`);
  for (const phase of ['loading', 'catching up', 'streaming'] as const) t.true((landed.day.get(phase) ?? 0) > 0, `no kill landed in a planned day while ${phase}`);
  for (const phase of ['loading', 'catching up', 'streaming', 'between days'] as const) t.true((landed.run.get(phase) ?? 0) > 0, `no kill landed in a strategy run ${phase === 'between days' ? phase : `while ${phase}`}`);
  t.true(keptDays > 0, 'no resumed strategy run kept a completed day');
  t.log(`strategy runs: ${replayed.interruptedDays} kills left commands of the interrupted day to replay, ${replayed.keptCommandDays} left kept days with commands`);
  t.true(replayed.keptCommandDays > 0, 'no kill came after a day with commands was kept');
});

/** The plan run once, in this process, at full speed, with nothing to replay. */
async function uninterrupted(data: string, plan: Awaited<ReturnType<typeof readCommandPlan>>, file: string): Promise<unknown> {
  const session = createSession({ mode: 'backtest', date: DATE, symbols: CONFIGURED.map((symbol) => ({ symbol, streams: STREAMS })), store: new ArrowBarStore(data), speed: 'max', plan, logger: silentLogger });
  const write = recordFinalState(session);
  await session.start();
  await session.done;
  await write(file);
  return JSON.parse(await readFile(file, 'utf8'));
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

// A strategy run over days, with generated params and a generated plan of adds and removals
// (with or without flatten) made from outside the strategy on several days, as the control API
// makes them, killed while it loads, while it restores the days done before an interruption,
// while a day streams, and between days; each time resumed from its run journal. A resumed
// process runs only the days not done yet (the strategy saves its state), makes the commands
// the journal holds for them at their minutes, and the results must be those of the run made
// once with the same plan.

const FROM = '2024-03-04';
const TO = '2024-03-08';
const RUN_DAYS = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'];
const RUN_OTHERS = ['TSLA', 'NVDA'];

interface RunPlanLine {
  date: string;
  minute: number;
  op: 'add' | 'remove';
  symbol: string;
  flatten?: boolean;
}

/**
 * Commands on several days, day 1 always among them (early, so that every kill but a loading
 * one comes after a command landed) and one of days 2–4 (so that a kept day or a killed day
 * has one); a symbol is added when out of the universe, removed (flattened or not: a refusal,
 * POSITION_OPEN, is a command too) when in.
 */
const runPlanArb = fc
  .tuple(
    fc.integer({ min: 0, max: 60 }),
    fc.integer({ min: 1, max: 3 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 385 })), { minLength: 1, maxLength: 6 }),
    fc.array(fc.tuple(fc.constantFrom('AAPL', 'MSFT', ...RUN_OTHERS), fc.boolean()), { minLength: 8, maxLength: 8 }),
  )
  .map(([firstMinute, secondDay, more, picks]) => {
    const times = [[0, firstMinute] as const, [secondDay, 200] as const, ...more].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const inUniverse = new Set(['AAPL', 'MSFT']);
    return times.map(([day, minute], i): RunPlanLine => {
      const [symbol, flatten] = picks[i]!;
      const date = RUN_DAYS[day]!;
      if (inUniverse.has(symbol) && (flatten || !['AAPL', 'MSFT'].includes(symbol))) {
        inUniverse.delete(symbol);
        return { date, minute, op: 'remove', symbol, flatten };
      }
      if (inUniverse.has(symbol)) return { date, minute, op: 'remove', symbol };
      inUniverse.add(symbol);
      return { date, minute, op: 'add', symbol };
    });
  });
const STRATEGY = 'examples/sma-cross.ts';

const RUN_MARKERS: PhaseMarkers = [
  [/Journaling the run of /, 'loading'],
  [/Resuming the run of /, 'loading'],
  [/ kept from the journal; resuming day /, 'catching up'],
  [/Day \d+\/\d+ \S+ streaming/, 'streaming'],
  [/\bday \d+\/\d+ \S+ · /, 'between days'],
];

/** Where each kill of each run is aimed: every phase, whatever the seed; the first kill of a run hits a fresh process, which has no days to run again. */
const AIM_CYCLE: KillPhase[][] = [
  ['streaming', 'catching up', 'between days'],
  ['loading', 'between days', 'catching up'],
  ['between days', 'streaming', 'loading'],
];
const RUN_AIMS = Array.from({ length: Number(process.env['KILL_RESUME_RUNS'] ?? AIM_CYCLE.length) }, (_, i) => AIM_CYCLE[i % AIM_CYCLE.length]!);

/**
 * The moment a kill aimed at `phase` comes; `day` picks the day (1–2) a between-days kill
 * follows (at the earliest the first one the process runs: `kept` are done), `delayMs` how far
 * into a day a streaming one lands. Early days: at full speed a day passes in a fraction of a
 * second, and on a loaded machine a kill aimed after day 4 has landed after day 5, leaving the
 * next process nothing to run.
 */
function runMomentFor(phase: KillPhase, day: number, kept: number, delayMs: number): KillMoment {
  // Never after day 5: that is the end, not between days (no kill then when days 1–4 were kept).
  if (phase === 'between days') return { after: new RegExp(`\\bday ${Math.min(4, Math.max(day, kept + 1))}/5 \\S+ · `), delayMs: 0 };
  if (phase === 'catching up') return { after: / kept from the journal; resuming day /, delayMs: 0 };
  if (phase === 'streaming') return { after: /Day [2-5]\/5 \S+ streaming/, delayMs };
  return { after: /(Journaling|Resuming) the run of /, delayMs: 0 };
}

const STRATEGY_RUNS = fc.sample(fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 9, max: 30 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 40 }), runPlanArb), { numRuns: RUN_AIMS.length, seed: SEED });

const runData = (async () => {
  const dir = await tempDir('kill-resume-run');
  const data = join(dir.path, 'data');
  await generateDataset({ store: new ArrowBarStore(data), calendar: nyse, symbols: ['AAPL', 'MSFT', ...RUN_OTHERS], from: '2024-02-26', to: TO, seed: 5 });
  const { default: strategy } = (await import(`../../${STRATEGY}`)) as { default: Strategy };
  return { dir, data, strategy };
})();

test.before('the strategy runs made once, uninterrupted', async () => {
  const { dir, data, strategy } = await runData;
  for (const [index, [fast, slow, , , plan]] of STRATEGY_RUNS.entries()) {
    const planFile = join(dir.path, `run-plan-${index}.json`);
    await writeFile(planFile, JSON.stringify(plan));
    const commands = await readRunPlan(planFile, nyse, strategy.streams);
    await runBacktest({ strategy, from: FROM, to: TO, store: new ArrowBarStore(data), params: { fast, slow }, cash: 100_000, plan: commands, out: join(dir.path, `expected-${index}`), logger: silentLogger });
  }
});

/** Days a resumed process kept from its journal instead of running them, over every chain: some must have been. */
let keptDays = 0;
/** Resumes whose first day had commands journaled before the kill, made again at their minutes; and kept days that had commands. */
const replayed = { interruptedDays: 0, keptCommandDays: 0 };

/** What the journal a killed process left says of its commands: on the day it was killed in, and on the days it kept. */
function countCommands(runDir: string): void {
  const journal = RunJournal.read(runDir);
  if (!journal) return;
  const next = RUN_DAYS[journal.days.length];
  if (journal.commands.some((entry) => entry.date === next)) replayed.interruptedDays++;
  if (journal.commands.some((entry) => journal.days.some((day) => day.summary.date === entry.date))) replayed.keptCommandDays++;
}

/**
 * What a process that found `kept` completed days in the journal did: it said it kept them and
 * ran none of them again (no day of theirs streamed, replayed or ended in it).
 */
function assertRanOnlyNewDays(t: ExecutionContext, output: string, kept: number): void {
  const ran = [...output.matchAll(/(?:\bDay|Replaying day|\bday) (\d+)\/5 /g)].map((match) => Number(match[1]));
  t.true(ran.every((day) => day > kept), `a process resumed after ${kept} completed days ran day ${ran.find((day) => day <= kept)} again:\n${output}`);
  if (kept > 0 && kept < 5 && /Resuming the run of .*\n.*\n/.test(output)) {
    t.regex(output, new RegExp(`Days 1${kept > 1 ? `–${kept}` : ''} of 5 kept from the journal; resuming day ${kept + 1}/5 `));
  }
  keptDays += kept;
}

test.after.always('temp folders go', async () => {
  await (await dayData).dir.remove();
  await (await runData).dir.remove();
});

for (const [index, [fast, slow, day, delayMs, plan]] of STRATEGY_RUNS.entries()) {
  test(`strategy run ${index + 1} over days: killed at random moments and resumed each time, it ends with the results of the run made once`, async (t) => {
    const { dir, data } = await runData;
    const expectedDir = join(dir.path, `expected-${index}`);
    const out = join(dir.path, `out-${index}`);
    const runDir = join(dir.path, `run-${index}`);
    const args = ['backtest', '--strategy', STRATEGY, '--from', FROM, '--to', TO, '--param', `fast=${fast}`, '--param', `slow=${slow}`, '--plan', join(dir.path, `run-plan-${index}.json`), '--data', data, '--run-dir', runDir, '--out', out, '--json'];
    const story: string[] = [];
    let kills = 0;
    let finished = false;
    for (const [k, aim] of RUN_AIMS[index]!.entries()) {
      const kept = RunJournal.read(runDir)?.days.length ?? 0;
      const outcome = await runAndKill([...args, k === 0 ? '--journal' : '--resume'], runMomentFor(aim, day, kept, delayMs), RUN_MARKERS, join(out, 'result.json'));
      assertRanOnlyNewDays(t, outcome.process.stderr, kept);
      story.push(`aimed at ${aim}: ${outcome.killed ? 'killed' : 'not killed'} in ${outcome.phase}${kept > 0 ? ` (${kept} days kept)` : ''}`);
      if (!outcome.killed) {
        t.is(outcome.process.child.exitCode, 0, `${outcome.process.stdout}\n${outcome.process.stderr}`);
        finished = true;
        break;
      }
      kills++;
      landed.run.set(outcome.phase, (landed.run.get(outcome.phase) ?? 0) + 1);
      countCommands(runDir);
    }
    if (!finished) {
      const kept = RunJournal.read(runDir)?.days.length ?? 0;
      const last = await runCli([...args, '--resume']);
      t.is(last.code, 0, last.stderr);
      assertRanOnlyNewDays(t, last.stderr, kept);
    }
    // To the byte: the kept days' results come from the journal, the others from running them.
    t.is(await readFile(join(out, 'result.json'), 'utf8'), await readFile(join(expectedDir, 'result.json'), 'utf8'), `seed ${SEED}, fast ${fast}, slow ${slow}, plan ${JSON.stringify(plan)}; ${story.join(', ')}`);
    // Every command of the plan made once: those the killed processes journaled were not made again as new ones.
    const journaled = RunJournal.read(runDir)!.commands;
    t.is(new Set(journaled.map((entry) => `${entry.date} ${entry.planned}`)).size, journaled.length, 'a planned command was journaled twice');
    t.log(story.join(', '));
    t.true(kills >= RUN_AIMS[index]!.length - 1, `only ${kills} kills landed: ${story.join(', ')}`);
  });
}
