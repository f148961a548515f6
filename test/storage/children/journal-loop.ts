// Child process for the kill-during-write test: records into a resumed journal and flushes,
// round after round, until it is killed. Each round names its transition after the symbol it
// updates, so a reader can check the record was written whole.
import { SessionJournal } from '../../../storage/journal/session-journal.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: journal-loop.ts <dir>');
const journal = await SessionJournal.open(dir, { resume: true });
for (let round = 0; ; round++) {
  const symbol = `S${round % 60}`;
  const at = { sim: round * 60_000, wall: Date.now() };
  journal.recordSymbol({ symbol, status: 'active', streams: ['1m', '5m'], addedAt: at, updatedAt: at });
  journal.recordTransition(`updated-${symbol}-${round}`, at);
  await journal.flush();
  process.stdout.write(`${round}\n`);
}
