// Child process for the overlapping-writers test: says `ready`, waits for `go` on stdin, then
// writes ROUNDS batches of one series, each a bar of its own in every day of its span (see
// overlapBars), so that two writers share some days but not others, and says `done`.
import { createInterface } from 'node:readline';
import { ArrowBarStore } from '../../../storage/bars/arrow-bar-store.js';
import { overlapBars, ROUNDS, TEST_LOCK_TIMINGS } from './put-bars-round.js';

const [dir, id] = process.argv.slice(2);
if (!dir || id === undefined) throw new Error('usage: overlap-writer.ts <dir> <writer id>');
const store = new ArrowBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS });
const input = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => input.on('line', (line) => line === 'go' && resolve()));
process.stdout.write('ready\n');
await go;
input.close();
for (let round = 0; round < ROUNDS; round++) await store.putManyBars('1m', new Map([['AAPL', overlapBars(Number(id), round)]]));
process.stdout.write('done\n');
