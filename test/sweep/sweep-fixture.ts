import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nyse } from '../../calendar/nyse.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';
import { JobRunner } from '../../sweep/job-runner.js';
import { strategyFileHash } from '../../sweep/strategy-module.js';
import { decodeOutcome, type SweepRun } from '../../sweep/sweep-job.js';
import type { ParamValue } from '../../run/strategy.js';
import type { SweepPoint } from '../../sweep/sweep-result.js';

export const FLAT_DAILY = fileURLToPath(new URL('../fixtures/strategies/flat-daily.ts', import.meta.url));
/** Trading days 2024-03-04 .. 2024-03-08, the fixture store's. */
export const DAYS = nyse.tradingDays('2024-03-04', '2024-03-08');
export const SYMBOLS = ['AAA', 'BBB'];
export const CASH = 100_000;

/** A temp Arrow store with AAA and BBB over `DAYS`; removed at the test's end. */
export async function fixtureStore(t: { teardown(fn: () => Promise<void>): void }): Promise<{ root: string; data: string }> {
  const root = await mkdtemp(join(tmpdir(), 'tapedeck-sweep-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const data = join(root, 'data');
  await generateDataset({ store: new ArrowBarStore(data), calendar: nyse, symbols: SYMBOLS, from: DAYS[0]!, to: DAYS.at(-1)!, seed: 11 });
  return { root, data };
}

/** The serial reference: each parameter set run whole, one after another, in this thread. */
export async function serialRuns(data: string, from: string, to: string, sets: Array<Record<string, ParamValue>>): Promise<Array<SweepRun | { code: string }>> {
  const runner = new JobRunner(new ArrowBarStore(data));
  const strategyHash = await strategyFileHash(FLAT_DAILY);
  const runs: Array<SweepRun | { code: string }> = [];
  for (const [index, params] of sets.entries()) {
    const outcome = decodeOutcome(await runner.run({ index, point: index, params, from, to, run: { strategyFile: FLAT_DAILY, strategyHash, cash: CASH } }));
    runs.push('run' in outcome ? outcome.run : { code: outcome.error.code });
  }
  return runs;
}

/** What a sweep's points must equal the serial runs in: every run whole, or the failure's code. */
export function pointRuns(points: readonly SweepPoint[]): Array<SweepRun | { code: string }> {
  return points.map((p) => p.run ?? { code: p.error!.code });
}
