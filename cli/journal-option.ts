import { SessionJournal } from '../storage/journal/session-journal.js';
import { CliError, EXIT_USAGE } from './cli-error.js';

/**
 * The journal a session command writes: none; a new one (`--journal`, refused when an
 * interrupted run's journal is there, so that it is not lost by mistake); the earlier one
 * continued (`--resume`); or a new one whatever is there (`--force-new`).
 */
export async function openJournalOption(runDir: string, options: { journal?: boolean; resume?: boolean; forceNew?: boolean }): Promise<SessionJournal | undefined> {
  if (options.resume && options.forceNew) throw new CliError('USAGE_ERROR', '--resume continues the journal and --force-new replaces it: give one of them.', { exitCode: EXIT_USAGE });
  if (options.resume) return SessionJournal.open(runDir, { resume: true });
  if (options.forceNew) return SessionJournal.open(runDir);
  if (!options.journal) return undefined;
  const earlier = await SessionJournal.read(runDir).catch(() => undefined);
  if (earlier?.config && earlier.endedAt === undefined) {
    throw new CliError(
      'UNFINISHED_RUN',
      `${runDir} holds the journal of an interrupted run of ${earlier.config.date} (${earlier.commands.length} commands). Add --resume to continue it, or --force-new to start over.`,
    );
  }
  return SessionJournal.open(runDir);
}
