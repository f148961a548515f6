// Child process for the kill-during-write test: appends commands to a resumed journal, round
// after round, until it is killed. Each round adds a symbol named after the round, so a reader
// can check the commands it finds are rounds 0..n with none missing in between.
import { SessionJournal } from '../../../storage/journal/session-journal.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: journal-loop.ts <dir>');
const config = { mode: 'backtest' as const, date: '2024-03-08', calendar: 'nyse', extendedHours: false, symbols: [{ symbol: 'AAPL', streams: ['1m' as const] }] };
// The first run starts the journal, every later one resumes it.
const journal = await SessionJournal.open(dir, { resume: (await SessionJournal.read(dir))?.config != null });
const earlier = journal.begin(config)?.commands.length ?? 0;
for (let round = earlier; ; round++) {
  journal.recordCommand({ sim: round * 60_000, command: { op: 'add', symbol: `S${round}`, streams: ['1m', '5m'] } });
  journal.recordProgress(round * 60_000);
  process.stdout.write(`${round}\n`);
  if (round % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
}
