import { nyse } from '../calendar/nyse.js';
import { isoTime } from '../model/iso-time.js';
import type { DynamicReport } from '../control/control-protocol.js';
import { processExists } from '../control/run-file.js';
import { SessionJournal } from '../storage/journal/session-journal.js';

export interface JournalReport extends DynamicReport {
  run: { pid: number; startedAt: string; endedAt?: string; ended: 'closed' | 'crashed' | 'unknown' };
  /** One line saying where these symbols come from. */
  description: string;
}

/** The dynamic symbols a run recorded in `runDir`'s journal, for when no session serves the directory. */
export async function readJournalReport(runDir: string): Promise<JournalReport | undefined> {
  const record = await SessionJournal.read(runDir);
  if (!record?.config) return undefined;
  const { config, pid } = record;
  // The journal names its calendar; nyse is the one this CLI runs, any other is shown in UTC.
  const timeZone = config.calendar === nyse.name ? nyse.timeZone : 'UTC';
  const ended = record.endedAt !== undefined ? 'closed' : processExists(pid) ? 'unknown' : 'crashed';
  const description = {
    closed: `No session is running in ${runDir}: from the journal of the finished run of ${config.date} (ended ${isoTime(record.endedAt ?? 0)}).`,
    crashed: `No session is running in ${runDir}: from the journal of a run of ${config.date} that crashed or was killed (process ${pid} is gone, no end was recorded).`,
    unknown: `No control API answers in ${runDir}: from the journal of a run of ${config.date} whose process ${pid} still exists but serves no control channel.`,
  }[ended];
  return {
    mode: config.mode,
    date: config.date,
    timeZone,
    symbols: record.symbols.map(({ symbol, status, streams, addedAt, error }) => ({
      symbol,
      status,
      streams,
      addedAt: { sim: isoTime(addedAt.sim), wall: isoTime(addedAt.wall) },
      ...(error ? { error } : {}),
    })),
    run: { pid, startedAt: isoTime(record.startedAt), ...(record.endedAt !== undefined ? { endedAt: isoTime(record.endedAt) } : {}), ended },
    description,
  };
}
