import { JournalError } from './journal-error.js';

/** One setting of a run: its name and its value in the journal and as asked now. */
export type ComparedSetting = [name: string, journal: unknown, asked: unknown];

/**
 * Refuses to resume a run whose settings differ from the journal's, naming each difference:
 * resuming another day's or another universe's journal would silently make a different run.
 */
export function assertSameRun(file: string, settings: readonly ComparedSetting[]): void {
  const differences = settings
    .filter(([, journal, asked]) => JSON.stringify(journal) !== JSON.stringify(asked))
    .map(([name, journal, asked]) => `${name} ${show(journal)} in the journal, ${show(asked)} asked`);
  if (differences.length === 0) return;
  throw new JournalError(
    'JOURNAL_MISMATCH',
    `Cannot resume: the journal ${file} is of another run (${differences.join('; ')}). Resume with the journal's settings, or start over with --force-new.`,
    { file, differences },
  );
}

function show(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
