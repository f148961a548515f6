// Child process for the Arrow store's concurrent-writers test: says `ready`, waits for `go` on
// stdin so that every writer starts at once, then writes ROUNDS batches into one day's
// partition, each with a bar of its own and the shared minute, and says `done`.
import { createInterface } from 'node:readline';
import { ArrowBarStore } from '../../../storage/bars/arrow-bar-store.js';
import { ROUNDS, TEST_LOCK_TIMINGS, writerBars } from './put-bars-round.js';

const [dir, id] = process.argv.slice(2);
if (!dir || id === undefined) throw new Error('usage: arrow-writer.ts <dir> <writer id>');
const store = new ArrowBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS });
const input = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => input.on('line', (line) => line === 'go' && resolve()));
process.stdout.write('ready\n');
await go;
input.close();
for (let round = 0; round < ROUNDS; round++) await store.putBars('AAPL', '1m', writerBars(Number(id), round));
process.stdout.write('done\n');
