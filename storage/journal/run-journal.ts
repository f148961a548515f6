import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DaySummary } from '../../run/backtest-result.js';
import type { CompletedDay, DayCheckpoint } from '../../run/day-checkpoint.js';
import type { RunCommand } from '../../run/run-command.js';
import { isInterval } from '../../model/bar.js';
import { assertSameRun } from './config-differences.js';
import { JournalError } from './journal-error.js';
import { JournalWriter, readJournalLog } from './journal-log.js';

export const RUN_JOURNAL_FILE = 'run-journal.jsonl';

/** What makes a strategy run the run it is: resuming is refused when any of it differs. */
export interface RecordedRun {
  strategy: string;
  /** sha256 of the strategy file: a changed strategy is another run. */
  strategySha256: string;
  params: Record<string, unknown>;
  days: string[];
  symbols: string[] | null;
  cash: number;
  commission: Record<string, unknown>;
  slippage: Record<string, unknown>;
}

type RunJournalBody =
  | { type: 'open'; pid: number; startedAt: number; resumed: boolean }
  | { type: 'run'; run: RecordedRun }
  | { type: 'day'; index: number; summary: DaySummary; checkpoint?: DayCheckpoint }
  | ({ type: 'command' } & RunCommand)
  | { type: 'end'; wall: number };

/** A run journal folded from its records. */
export interface RunJournalRecord {
  run: RecordedRun | null;
  /** The completed days, in order: each one's summary and, when the strategy can go on from it, its checkpoint. */
  days: CompletedDay[];
  /** Every add and removal received from outside the strategy, in the order made, with its day and minute. */
  commands: RunCommand[];
  ended: boolean;
  /** The process that opened the journal last. */
  pid: number;
}

/**
 * The journal of a strategy run over days, `<runDir>/run-journal.jsonl` (the same checksummed
 * log as the session journal): the run's settings, then each completed day, written durably as
 * the day ends — its summary and, when the strategy's state can be saved, its checkpoint (the
 * day's results, the broker, the universe, the strategy's saved state) in the same record, so
 * a day is kept whole or not at all. A resume starts after the last completed day from its
 * checkpoint; a journal without checkpoints (a strategy whose state cannot be saved, or an
 * earlier tapedeck) is resumed by running the days again, each checked against its summary.
 * Each add and removal received from outside the strategy is written, synced, with its day and
 * minute before it is acknowledged; the days a resume runs make them again at their minutes.
 */
export class RunJournal {
  readonly file: string;
  readonly #writer: JournalWriter;
  readonly #earlier: RunJournalRecord | undefined;

  private constructor(file: string, writer: JournalWriter, earlier: RunJournalRecord | undefined) {
    this.file = file;
    this.#writer = writer;
    this.#earlier = earlier;
  }

  static open(runDir: string, options: { resume?: boolean } = {}): RunJournal {
    const dir = path.resolve(runDir);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, RUN_JOURNAL_FILE);
    let journal: RunJournal;
    if (options.resume) {
      const read = readJournalLog(file);
      if (!read) throw new JournalError('NOTHING_TO_RESUME', `There is no run journal to resume in ${dir}. Start the run without --resume.`, { file });
      journal = new RunJournal(file, JournalWriter.continue(file, read), fold(read.bodies, file));
    } else {
      journal = new RunJournal(file, JournalWriter.create(file), undefined);
    }
    return journal;
  }

  static read(runDir: string): RunJournalRecord | undefined {
    const file = path.join(path.resolve(runDir), RUN_JOURNAL_FILE);
    const read = readJournalLog(file);
    return read && fold(read.bodies, file);
  }

  /**
   * Records the run's settings; when resuming, checks they are the earlier run's (throws
   * `JOURNAL_MISMATCH` naming what differs) and returns the days it completed.
   */
  begin(run: RecordedRun): CompletedDay[] {
    const earlier = this.#earlier?.run;
    if (earlier) this.#assertSameRun(earlier, run);
    // Written once the run is known to be this one: a refused resume leaves the journal as it was.
    this.#append({ type: 'open', pid: process.pid, startedAt: Date.now(), resumed: this.#earlier !== undefined }, true);
    this.#writer.check();
    if (!earlier) {
      this.#append({ type: 'run', run: structuredClone(run) }, true);
      return [];
    }
    return structuredClone(this.#earlier!.days);
  }

  #assertSameRun(earlier: RecordedRun, run: RecordedRun): void {
    assertSameRun(this.file, [
      ['strategy', earlier.strategy, run.strategy],
      ['strategy file (sha256)', earlier.strategySha256, run.strategySha256],
      ['params', earlier.params, run.params],
      ['days', `${earlier.days[0]}..${earlier.days.at(-1)}`, `${run.days[0]}..${run.days.at(-1)}`],
      ['symbols', earlier.symbols, run.symbols],
      ['cash', earlier.cash, run.cash],
      ['commission', earlier.commission, run.commission],
      ['slippage', earlier.slippage, run.slippage],
    ]);
  }

  /**
   * A command received from outside the strategy, with its day and minute, on disk (synced)
   * before the call returns: the run calls it before the command is acknowledged.
   */
  recordCommand(command: RunCommand): void {
    this.#append({ type: 'command', ...structuredClone(command) }, true);
    this.#writer.check();
  }

  /** The commands the earlier run journaled, when resuming; none otherwise. */
  commands(): RunCommand[] {
    return structuredClone(this.#earlier?.commands ?? []);
  }

  /** A completed day (with its checkpoint, when there is one), on disk (synced) before the call returns. */
  recordDay(index: number, summary: DaySummary, checkpoint?: DayCheckpoint): void {
    this.#append({ type: 'day', index, summary, ...(checkpoint ? { checkpoint } : {}) }, true);
    this.#writer.check();
  }

  end(): void {
    this.#append({ type: 'end', wall: Date.now() }, true);
    this.#writer.close();
    this.#writer.check();
  }

  #append(body: RunJournalBody, durable: boolean): void {
    this.#writer.append(body as unknown as Record<string, unknown>, { durable });
  }
}

function fold(bodies: ReadonlyArray<Record<string, unknown>>, file: string): RunJournalRecord {
  const record: RunJournalRecord = { run: null, days: [], commands: [], ended: false, pid: 0 };
  bodies.forEach((body, index) => {
    const bad = (what: string) => new JournalError('JOURNAL_CORRUPT', `${file} is damaged: record ${index + 2} ${what}. Start over with --force-new.`, { file, record: index + 2 });
    switch (body.type) {
      case 'open':
        record.ended = false;
        if (typeof body.pid === 'number') record.pid = body.pid;
        return;
      case 'run':
        if (typeof body.run !== 'object' || body.run === null) throw bad('is not a run');
        record.run = body.run as RecordedRun;
        return;
      case 'day':
        // A day is written once; a resumed run writes only the days after the ones it found.
        if (body.index !== record.days.length || typeof body.summary !== 'object' || body.summary === null) throw bad(`is not day ${record.days.length + 1}`);
        if (body.checkpoint !== undefined && !isCheckpoint(body.checkpoint)) throw bad(`holds no valid state of day ${record.days.length + 1}`);
        record.days.push({ summary: body.summary as DaySummary, ...(body.checkpoint === undefined ? {} : { checkpoint: body.checkpoint }) });
        return;
      case 'command': {
        const { date, sim, command, planned } = body;
        if (typeof date !== 'string' || !Number.isFinite(sim) || !isRunSymbolCommand(command) || (planned !== undefined && !Number.isInteger(planned))) throw bad('is not a command {date, sim, command}');
        record.commands.push({ date, sim: sim as number, command, ...(planned === undefined ? {} : { planned: planned as number }) });
        return;
      }
      case 'end':
        record.ended = true;
        return;
      default:
        throw bad('is of no known type');
    }
  });
  return record;
}

function isRunSymbolCommand(value: unknown): value is RunCommand['command'] {
  if (!isObject(value) || typeof value.symbol !== 'string') return false;
  if (value.op === 'add') return Array.isArray(value.streams) && value.streams.every(isInterval);
  return value.op === 'remove' && typeof value.immediate === 'boolean' && typeof value.flatten === 'boolean';
}

/** The shape of a day's checkpoint, checked before a resume relies on it. */
function isCheckpoint(value: unknown): value is DayCheckpoint {
  if (!isObject(value) || !isObject(value.broker) || !isObject(value.candles)) return false;
  const { broker } = value;
  return (
    [value.fills, value.minutes, value.universe, value.held, broker.books].every(Array.isArray) &&
    [broker.cashUnits, broker.marketValueUnits, broker.grossUnits, broker.clock, broker.ordersPlaced].every(Number.isFinite) &&
    (value.strategy === undefined || (isObject(value.strategy) && 'saved' in value.strategy))
  );
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
