import { addSymbolPause } from './cases/add-symbol-pause.js';
import { inspectorOverhead } from './cases/inspector-overhead.js';
import { retainedMemory } from './cases/memory.js';
import { replayAgainstFloor } from './cases/replay.js';
import { storage } from './cases/storage.js';

// `npm run bench`: one JSON line per case on stdout. Cases run one after another, never in
// parallel, so they do not measure each other.
await replayAgainstFloor();
await inspectorOverhead();
await addSymbolPause();
await retainedMemory();
await storage();
await (await import('./cases/arrow-store.js')).arrowStore();
