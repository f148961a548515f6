// Child process for the concurrent-writers test: says `ready`, waits for `go` on stdin so that
// every writer starts at once, then writes ROUNDS batches into one partition, each with a bar
// of its own and the shared minute, and says `done`.
import { createInterface } from 'node:readline';
import { LowdbBarStore } from '../../../storage/bars/lowdb-bar-store.js';
import { ROUNDS, TEST_LOCK_TIMINGS, writerBars } from './put-bars-round.js';

const [dir, id] = process.argv.slice(2);
if (!dir || id === undefined) throw new Error('usage: put-bars-writer.ts <dir> <writer id>');
const store = new LowdbBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS });
const input = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => input.on('line', (line) => line === 'go' && resolve()));
process.stdout.write('ready\n');
await go;
input.close();
for (let round = 0; round < ROUNDS; round++) await store.putBars('AAPL', '1m', writerBars(Number(id), round));
process.stdout.write('done\n');
