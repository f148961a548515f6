// Child process for the Arrow store's kill-during-write test: rewrites one day forever, each
// round replacing every bar with the round number and adding DAY_STEP more, until it is killed.
// With a round and a stage, that round's write stalls there (see stall-at.ts) for the parent to kill.
import { stallNextWriteAt, STAGES, type Stage } from './stall-at.js';
import { ArrowBarStore } from '../../../storage/bars/arrow-bar-store.js';
import { dayRoundBars, DAY_END, PARTITION_START, TEST_LOCK_TIMINGS } from './put-bars-round.js';

const [dir, stallRound, stage] = process.argv.slice(2);
if (!dir || (stage !== undefined && !STAGES.includes(stage as Stage))) throw new Error('usage: arrow-write-loop.ts <dir> [<stall round> <stage>]');
const store = new ArrowBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS });
const existing = await store.getBars('AAPL', '1m', PARTITION_START, DAY_END);
for (let round = existing.length === 0 ? 0 : existing[0]!.c + 1; ; round++) {
  if (stage && round === Number(stallRound)) stallNextWriteAt(stage as Stage);
  await store.putBars('AAPL', '1m', dayRoundBars(round));
  process.stdout.write(`${round}\n`);
}
