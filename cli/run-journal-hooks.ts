import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { nyse } from '../calendar/nyse.js';
import type { DaySummary } from '../run/backtest-result.js';
import { resumesFromCheckpoints, type CompletedDay, type DayCheckpoint } from '../run/day-checkpoint.js';
import type { Strategy } from '../run/strategy.js';
import type { RunCommand } from '../run/run-command.js';
import { processExists } from '../control/run-file.js';
import { JournalError } from '../storage/journal/journal-error.js';
import { RunJournal, type RecordedRun } from '../storage/journal/run-journal.js';
import { CliError, EXIT_USAGE } from './cli-error.js';
import { note } from './messages.js';

export interface RunJournalOptions {
  strategy: string;
  from: string;
  to: string;
  symbols?: string[];
  param: Record<string, string>;
  cash: number;
  commission?: object;
  slippage?: number;
  runDir: string;
  journal?: boolean;
  resume?: boolean;
  forceNew?: boolean;
}

/** What a journaled strategy run adds to `runBacktest`: its day hooks, the days it keeps, and the end of the journal. */
export interface RunJournalHooks {
  onDayStart(date: string, index: number, total: number): void;
  /** Records the day (or, for a day the earlier run completed, checks it came out the same), then calls `next`. */
  onDay(next: (day: DaySummary, done: number, total: number) => void): (day: DaySummary, done: number, total: number, checkpoint?: DayCheckpoint) => void;
  /** Whether `runBacktest` should make each day's checkpoint for the journal. */
  checkpoints: boolean;
  /** The completed days the run starts after (`runBacktest({ resume })`); empty when it runs them again. */
  resume: CompletedDay[];
  /** The commands the interrupted run received from outside, made again at their minutes (`runBacktest({ commands })`). */
  commands: RunCommand[];
  /** Journals a command from outside, synced, before it is acknowledged (`runBacktest({ onCommand })`). */
  onCommand(command: RunCommand): void;
  end(): void;
}

/**
 * `--journal`, `--resume` and `--force-new` for `backtest --strategy`: the run journal in the
 * run dir, and the lines that say where the run is (`Day 3/5 … streaming`, `Replaying day 2/5`).
 */
export async function openRunJournal(options: RunJournalOptions, strategy: Strategy, write: (line: string) => void): Promise<RunJournalHooks | undefined> {
  if (options.resume && options.forceNew) throw new CliError('USAGE_ERROR', '--resume continues the journal and --force-new replaces it: give one of them.', { exitCode: EXIT_USAGE });
  if (!options.journal && !options.resume && !options.forceNew) return undefined;
  const days = nyse.tradingDays(options.from, options.to);
  if (days.length === 0) return undefined; // runBacktest says why
  if (!options.forceNew) {
    const earlier = RunJournal.read(options.runDir);
    // Two runs appending to one journal would each replace or interleave the other's days.
    if (earlier && !earlier.ended && earlier.pid !== process.pid && earlier.pid > 0 && processExists(earlier.pid)) {
      throw new CliError(
        'JOURNAL_BUSY',
        `${options.runDir} holds the journal of a run${earlier.run ? ` of ${earlier.run.strategy}` : ''} that is still running (pid ${earlier.pid}). Give this run another --run-dir, or wait for that one to end (--force-new starts over here anyway).`,
        { exitCode: EXIT_USAGE },
      );
    }
    if (earlier?.run && !earlier.ended && options.journal && !options.resume) {
      throw new CliError('UNFINISHED_RUN', `${options.runDir} holds the journal of an interrupted run of ${earlier.run.strategy} (${earlier.days.length} of ${earlier.run.days.length} days done). Add --resume to continue it, or --force-new to start over.`);
    }
  }
  const journal = RunJournal.open(options.runDir, { resume: options.resume ?? false });
  const run: RecordedRun = {
    strategy: strategy.name,
    strategySha256: createHash('sha256').update(await readFile(options.strategy)).digest('hex'),
    params: { ...options.param },
    days,
    symbols: options.symbols ?? null,
    cash: options.cash,
    commission: { ...options.commission },
    slippage: options.slippage === undefined ? {} : { bps: options.slippage },
  };
  const completed = journal.begin(run);
  const checkpoints = resumesFromCheckpoints(strategy);
  const keep = completed.length > 0 && checkpoints && completed.every((day) => day.checkpoint && (!strategy.saveState || day.checkpoint.strategy));
  if (!options.resume) write(note(`Journaling the run of ${strategy.name} over ${days.length} days in ${journal.file}${checkpoints ? '' : ' (a resume will run the completed days again: it has no saveState/loadState)'}`));
  else write(note(`Resuming the run of ${strategy.name} from ${journal.file}: ${completed.length} of ${days.length} days done`));
  if (keep) {
    const next = completed.length < days.length ? `resuming day ${completed.length + 1}/${days.length} ${days[completed.length]}` : 'nothing left to run';
    write(note(`Days ${completed.length === 1 ? '1' : `1–${completed.length}`} of ${days.length} kept from the journal; ${next}`));
  } else if (completed.length > 0) {
    const why = checkpoints ? 'the journal holds no state of its days (an earlier tapedeck wrote it)' : `${strategy.name} carries its state across days and has no saveState/loadState to write it down`;
    write(note(`The completed days run again first, and must come out as recorded: ${why}`));
  }
  const replayed = keep ? 0 : completed.length;
  return {
    checkpoints,
    resume: keep ? completed : [],
    commands: journal.commands(),
    onCommand: (command) => journal.recordCommand(command),
    onDayStart(date, index, total) {
      write(note(index < replayed ? `Replaying day ${index + 1}/${total} ${date} (done before the interruption)` : `Day ${index + 1}/${total} ${date} streaming`));
    },
    onDay: (next) => (day, done, total, checkpoint) => {
      const recorded = completed[done - 1]?.summary;
      if (!recorded) journal.recordDay(done - 1, day, checkpoint);
      else if (JSON.stringify(recorded) !== JSON.stringify(day)) {
        throw new JournalError(
          'JOURNAL_MISMATCH',
          `Day ${day.date} came out differently than the journal ${journal.file} recorded (pnl ${day.pnl} now, ${recorded.pnl} then): the data or the strategy changed since the interrupted run. Start over with --force-new.`,
          { file: journal.file, date: day.date },
        );
      }
      next(day, done, total);
    },
    end: () => journal.end(),
  };
}
