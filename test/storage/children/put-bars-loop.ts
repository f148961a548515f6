// Child process for the kill-during-write test: rewrites one partition forever, each round
// replacing every bar with the round number and adding STEP more, until it is killed.
import { LowdbBarStore } from '../../../storage/bars/lowdb-bar-store.js';
import { PARTITION_START, MAX_BARS, roundBars } from './put-bars-round.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: put-bars-loop.ts <dir>');
const store = new LowdbBarStore(dir);
const existing = await store.getBars('AAPL', '1m', PARTITION_START, PARTITION_START + MAX_BARS * 60_000);
for (let round = existing.length === 0 ? 0 : existing[0]!.c + 1; ; round++) {
  await store.putBars('AAPL', '1m', roundBars(round));
  process.stdout.write(`${round}\n`);
}
