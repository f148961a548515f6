import test from 'ava';
import fc from 'fast-check';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { readCommandPlan } from '../../cli/command-plan.js';
import { recordFinalState } from '../../cli/final-state.js';
import type { Interval } from '../../model/bar.js';
import { silentLogger } from '../../model/logger.js';
import { createSession } from '../../session/create-session.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
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
const PLANS = 4;
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

/** Which moments to kill at, in turn: the first run is fresh (killed while it loads or streams), the others resume. */
const momentsArb = fc.tuple(
  fc.option(fc.integer({ min: 0, max: 2_000 }), { freq: 3 }),
  fc.array(fc.tuple(fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 1_500 })), { minLength: KILLS_PER_PLAN - 1, maxLength: KILLS_PER_PLAN - 1 }),
).map(([first, rest]): KillMoment[] => [
  first === null ? { after: /tapedeck backtest /, delayMs: 0 } : { after: /Streaming\. /, delayMs: first },
  ...rest.map(([kind, delayMs]): KillMoment => [
    { after: /Replaying \d+ commands/, delayMs: 0 },
    { after: /Resuming the run of /, delayMs: 0 },
    { after: /Streaming\. /, delayMs },
  ][kind]!),
]);

test('a planned day killed at random moments and resumed each time ends as the uninterrupted run', async (t) => {
  const dir = await tempDir('kill-resume');
  t.teardown(() => dir.remove());
  const data = join(dir.path, 'data');
  await generateDataset({ store: new ArrowBarStore(data), calendar: nyse, symbols: [...CONFIGURED, ...OTHERS], from: DATE, to: DATE, seed: 11 });
  const open = nyse.session(DATE)!.open;
  const phases = new Map<KillPhase, number>();
  let kills = 0;
  // A failure names its seed; KILL_RESUME_SEED=<seed> runs the same plans and kill moments again.
  const seed = Number(process.env['KILL_RESUME_SEED'] ?? Date.now() % 2 ** 31);
  const plans = fc.sample(fc.tuple(planArb, momentsArb), { numRuns: PLANS, seed });
  for (const [index, [plan, moments]] of plans.entries()) {
    const planFile = join(dir.path, `plan-${index}.json`);
    await writeFile(planFile, JSON.stringify(plan));
    const expected = await uninterrupted(data, await readCommandPlan(planFile, open), join(dir.path, `expected-${index}.json`));
    const runDir = join(dir.path, `run-${index}`);
    const stateFile = join(dir.path, `state-${index}.json`);
    const args = ['backtest', '--date', DATE, '--symbols', CONFIGURED.join(','), '--streams', STREAMS.join(','), '--speed', SPEED, '--data', data, '--run-dir', runDir, '--plan', planFile, '--state-out', stateFile, '--json'];
    const story: string[] = [];
    for (const [k, moment] of moments.entries()) {
      const outcome = await runAndKill([...args, k === 0 ? '--journal' : '--resume'], moment, MARKERS, stateFile);
      story.push(`${outcome.killed ? 'killed' : 'not killed'} in ${outcome.phase}`);
      if (!outcome.killed) {
        t.is(outcome.process.child.exitCode, 0, `${outcome.process.stdout}\n${outcome.process.stderr}`);
        break;
      }
      kills++;
      phases.set(outcome.phase, (phases.get(outcome.phase) ?? 0) + 1);
    }
    if (!(await exists(stateFile))) {
      const last = await runCli([...args, '--resume']);
      t.is(last.code, 0, last.stderr);
    }
    t.deepEqual(JSON.parse(await readFile(stateFile, 'utf8')), expected, `seed ${seed}, plan ${JSON.stringify(plan)}; ${story.join(', ')}`);
    await rm(stateFile);
  }
  t.log(`${kills} kills: ${[...phases].map(([phase, n]) => `${phase} ${n}`).join(', ')}`);
  t.true(kills >= PLANS * KILLS_PER_PLAN - 2, `only ${kills} kills landed`);
  for (const phase of ['loading', 'catching up', 'streaming'] as const) t.true((phases.get(phase) ?? 0) > 0, `no kill landed while ${phase}`);
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
