// Child process for the concurrent-writers tests: says `ready`, waits for `go` on stdin so that
// every writer starts at once, then writes ROUNDS batches into one partition of an Arrow or a
// lowdb store, each with a bar of its own and the shared minute, and says `done`.
import { createInterface } from 'node:readline';
import { ArrowBarStore } from '../../../storage/bars/arrow-bar-store.js';
import { LowdbBarStore } from '../../../storage/bars/lowdb-bar-store.js';
import { ROUNDS, TEST_LOCK_TIMINGS, writerBars } from './put-bars-round.js';

const [kind, dir, id] = process.argv.slice(2);
if ((kind !== 'arrow' && kind !== 'lowdb') || !dir || id === undefined) throw new Error('usage: put-bars-writer.ts <arrow|lowdb> <dir> <writer id>');
const store = kind === 'arrow' ? new ArrowBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS }) : new LowdbBarStore(dir, { lockTimings: TEST_LOCK_TIMINGS });
const input = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => input.on('line', (line) => line === 'go' && resolve()));
process.stdout.write('ready\n');
await go;
input.close();
for (let round = 0; round < ROUNDS; round++) await store.putBars('AAPL', '1m', writerBars(Number(id), round));
process.stdout.write('done\n');
