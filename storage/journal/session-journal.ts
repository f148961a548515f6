import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RecordedCommand, RecordedConfig, RecordedSymbol, SessionRecorder, SessionReplay } from '../../model/session-recorder.js';
import { assertSameRun } from './config-differences.js';
import { JournalError } from './journal-error.js';
import { JournalWriter, readJournalLog } from './journal-log.js';
import { applyJournalBody, emptyJournalRecord, type JournalRecord, type SessionJournalBody } from './journal-record.js';

export const JOURNAL_FILE = 'journal.jsonl';

/**
 * The session's `SessionRecorder` on disk: `<runDir>/journal.jsonl`, a command log appended one
 * checksummed record a line (`journal-log.ts`). It holds the configuration, every add and
 * removal with the simulated minute it was made at, the last minute the clock reached, and
 * the states and symbol statuses people read back.
 *
 * Opened with `resume`, it reads the earlier run's log (a torn last record is dropped), checks
 * at `begin` that the session is the same run, hands the session the commands to replay, and
 * appends after them: one log for the whole run, however many processes it took.
 */
export class SessionJournal implements SessionRecorder {
  readonly file: string;
  readonly #writer: JournalWriter;
  readonly #record: JournalRecord;
  /** What the earlier run left, when resuming. */
  readonly #earlier: JournalRecord | undefined;
  #recordError: unknown;

  private constructor(file: string, writer: JournalWriter, record: JournalRecord, earlier: JournalRecord | undefined) {
    this.file = file;
    this.#writer = writer;
    this.#record = record;
    this.#earlier = earlier;
  }

  /**
   * Starts this run's record in `runDir` (created if needed). With `resume`, continues the
   * journal found there (`NOTHING_TO_RESUME` if there is none, `JOURNAL_CORRUPT` or
   * `JOURNAL_VERSION` if it cannot be read; one whose run died before it started resumes
   * from nothing); otherwise any earlier journal is replaced.
   */
  static async open(runDir: string, options: { resume?: boolean } = {}): Promise<SessionJournal> {
    const dir = path.resolve(runDir);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, JOURNAL_FILE);
    let record = emptyJournalRecord();
    let writer: JournalWriter;
    let earlier: JournalRecord | undefined;
    if (options.resume) {
      const read = readJournalLog(file);
      if (!read) throw new JournalError('NOTHING_TO_RESUME', `There is no session journal to resume in ${dir}. Start the run without --resume.`, { file });
      earlier = fold(read.bodies, file);
      record = structuredClone(earlier);
      writer = JournalWriter.continue(file, read);
    } else {
      writer = JournalWriter.create(file);
    }
    return new SessionJournal(file, writer, record, earlier);
  }

  /** The journal in `runDir` as last written, without opening it for writing; `undefined` when there is none. */
  static async read(runDir: string): Promise<JournalRecord | undefined> {
    const file = path.join(path.resolve(runDir), JOURNAL_FILE);
    const read = readJournalLog(file);
    return read && fold(read.bodies, file);
  }

  /** A copy of the record as folded from everything appended so far. */
  get record(): JournalRecord {
    return structuredClone(this.#record);
  }

  begin(config: RecordedConfig): SessionReplay | undefined {
    const earlier = this.#earlier;
    if (earlier?.config) this.#assertSameRun(earlier.config, config);
    // Written once the run is known to be this one: a refused resume leaves the journal as it was.
    this.#append({ type: 'open', pid: process.pid, startedAt: Date.now(), resumed: earlier !== undefined }, true);
    // A run killed before it started left no configuration: it resumes from nothing.
    if (earlier && !earlier.config) {
      this.#append({ type: 'config', config: copyConfig(config) }, true);
      return { commands: [], reached: Number.NEGATIVE_INFINITY };
    }
    if (earlier?.config) return { commands: structuredClone(earlier.commands), reached: earlier.reached ?? Number.NEGATIVE_INFINITY };
    this.#append({ type: 'config', config: copyConfig(config) }, true);
    return undefined;
  }

  #assertSameRun(earlier: RecordedConfig, config: RecordedConfig): void {
    assertSameRun(this.file, [
      ['mode', earlier.mode, config.mode],
      ['date', earlier.date, config.date],
      ['calendar', earlier.calendar, config.calendar],
      ['extended hours', earlier.extendedHours, config.extendedHours],
      ['symbols', describeSymbols(earlier), describeSymbols(config)],
    ]);
  }

  recordCommand(command: RecordedCommand): void {
    this.#append({ type: 'command', ...structuredClone(command) }, true);
  }

  recordProgress(sim: number): void {
    if (this.#record.reached !== null && sim <= this.#record.reached) return;
    this.#append({ type: 'progress', sim }, false);
  }

  recordTransition(state: string, at: { sim: number; wall: number }): void {
    this.#append({ type: 'state', state, sim: at.sim, wall: at.wall }, state === 'closed');
  }

  recordSymbol(entry: RecordedSymbol): void {
    const copy: RecordedSymbol = {
      symbol: entry.symbol,
      status: entry.status,
      streams: [...entry.streams],
      addedAt: { sim: entry.addedAt.sim, wall: entry.addedAt.wall },
      updatedAt: { sim: entry.updatedAt.sim, wall: entry.updatedAt.wall },
      ...(entry.error ? { error: { code: entry.error.code, message: entry.error.message } } : {}),
    };
    this.#append({ type: 'symbol', entry: copy }, false);
  }

  /** Rejects if a record could not be written (or a bad argument was passed); records are on disk once it resolves. */
  async flush(): Promise<void> {
    if (this.#recordError !== undefined) throw this.#recordError;
    this.#writer.close();
    this.#writer.check();
  }

  /** Never throws into the session: a bad argument is kept for `flush` to report. */
  #append(body: SessionJournalBody, durable: boolean): void {
    try {
      applyJournalBody(this.#record, body as unknown as Record<string, unknown>, 0, this.file);
    } catch (error) {
      this.#recordError ??= error;
      return;
    }
    this.#writer.append(body as unknown as Record<string, unknown>, { durable });
  }
}

function fold(bodies: ReadonlyArray<Record<string, unknown>>, file: string): JournalRecord {
  const record = emptyJournalRecord();
  // Record 1 is the header.
  bodies.forEach((body, index) => applyJournalBody(record, body, index + 2, file));
  return record;
}

function copyConfig(config: RecordedConfig): RecordedConfig {
  return { ...config, symbols: config.symbols.map((entry) => ({ symbol: entry.symbol, streams: [...entry.streams] })) };
}

function describeSymbols(config: RecordedConfig): string {
  return config.symbols.map(({ symbol, streams }) => `${symbol}(${streams.join(',')})`).join(', ');
}
