import { cliBacktest } from './cases/cli-backtest.js';
import { csvImportCli } from './cases/csv-import-cli.js';
import { addSymbolPause } from './cases/add-symbol-pause.js';
import { inspectorOverhead } from './cases/inspector-overhead.js';
import { retainedMemory } from './cases/memory.js';
import { replayAgainstFloor } from './cases/replay.js';
import { storage } from './cases/storage.js';
import { brokerThroughput } from './cases/broker.js';
import { sweeps } from './cases/sweep.js';
import { inOwnProcess } from './own-process.js';

// `npm run bench`: one JSON line per case on stdout. Cases run one after another, never in
// parallel, so they do not measure each other.
await replayAgainstFloor();
await inspectorOverhead();
await addSymbolPause();
await retainedMemory();
await storage();
await brokerThroughput();
await inOwnProcess(new URL('./cases/arrow-store.ts', import.meta.url));
await cliBacktest();
await csvImportCli();
await inOwnProcess(new URL('./cases/strategy-run.ts', import.meta.url), { builtPackage: true });
await sweeps();
