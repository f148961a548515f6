// Child process for the kill-during-write test: rewrites one partition forever, each round
// replacing every bar with the round number and adding STEP more, until it is killed. With a
// round and a stage, that round's write stalls there (see stall-at.ts) for the parent to kill.
import { stallNextWriteAt, STAGES, type Stage } from './stall-at.js';
import { LowdbBarStore } from '../../../storage/bars/lowdb-bar-store.js';
import { PARTITION_START, MAX_BARS, roundBars, TEST_LOCK_TIMINGS } from './put-bars-round.js';

const [dir, stallRound, stage] = process.argv.slice(2);
if (!dir || (stage !== undefined && !STAGES.includes(stage as Stage))) throw new Error('usage: put-bars-loop.ts <dir> [<stall round> <stage>]');
const store = new LowdbBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS });
const existing = await store.getBars('AAPL', '1m', PARTITION_START, PARTITION_START + MAX_BARS * 60_000);
for (let round = existing.length === 0 ? 0 : existing[0]!.c + 1; ; round++) {
  if (stage && round === Number(stallRound)) stallNextWriteAt(stage as Stage);
  await store.putBars('AAPL', '1m', roundBars(round));
  process.stdout.write(`${round}\n`);
}
