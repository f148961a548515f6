// Imported first by a child that must be killed inside a write: wraps the fs calls a store
// write makes (open of its temp file, the rename into place) so that, at the chosen moment, the
// child prints `stall <stage>` and waits there until the parent kills it. Builtin ESM exports
// are live bindings, synced from the patched module object by syncBuiltinESMExports.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

/** Where a write stops: temp file opened (nothing written), temp written and about to be renamed, renamed but lock not yet released. */
export const STAGES = ['temp', 'rename', 'renamed'] as const;
export type Stage = (typeof STAGES)[number];

let armed: Stage | undefined;

/** The next write stalls at `stage`. */
export function stallNextWriteAt(stage: Stage): void {
  armed = stage;
}

async function stall(stage: Stage): Promise<void> {
  armed = undefined;
  fs.writeSync(1, `stall ${stage}\n`);
  // A timer, not a bare promise: a pending promise alone would let the process exit.
  await new Promise((resolve) => setTimeout(resolve, 2 ** 31 - 1));
}

const { open, rename } = fs.promises;
fs.promises.open = (async (...args: Parameters<typeof open>) => {
  const handle = await open(...args);
  if (armed === 'temp' && String(args[0]).endsWith('.tmp')) await stall('temp');
  return handle;
}) as typeof open;
fs.promises.rename = (async (from: fs.PathLike, to: fs.PathLike) => {
  if (armed === 'rename' && String(from).endsWith('.tmp')) await stall('rename');
  await rename(from, to);
  if (armed === 'renamed' && String(from).endsWith('.tmp')) await stall('renamed');
}) as typeof rename;
syncBuiltinESMExports();
