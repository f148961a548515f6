import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import type { Interval } from '../../model/bar.js';
import { isSessionError } from '../../model/session-error.js';
import type { RecordedConfig, RecordedSymbol, SessionRecorder } from '../../model/session-recorder.js';
import { corruptJournal, MAX_TRANSITIONS, parseJournal, RESUMABLE, type JournalRecord } from './journal-record.js';
import { removeOrphanTemps, writeFileAtomic } from '../bars/partition-lock.js';

export const JOURNAL_FILE = 'journal.json';

/**
 * The session's `SessionRecorder` on disk: `<runDir>/journal.json`, a lowdb document rewritten
 * atomically (a temp file of its own, then rename), so the CLI in another process, or a
 * restarted run, always reads a whole record.
 *
 * The session calls the `record*` methods on its hot path: they change the record in memory
 * and return; writes run behind, coalesced to one in flight and one pending, so a burst of
 * calls costs two writes. A failed write is kept and `flush()` rejects with it.
 */
export class SessionJournal implements SessionRecorder {
  readonly file: string;
  readonly #db: Low<JournalRecord>;
  readonly #resumable: ReadonlyArray<{ symbol: string; streams: Interval[] }>;
  #writing: Promise<void> | undefined;
  #dirty = false;
  #writeError: unknown;
  #recordError: unknown;

  private constructor(file: string, record: JournalRecord, resumable: ReadonlyArray<{ symbol: string; streams: Interval[] }>) {
    this.file = file;
    this.#db = new Low(journalFile(file), record);
    this.#resumable = resumable;
  }

  /**
   * Starts this run's record in `runDir` (created if needed) and writes it. With `resume`, the
   * symbols an earlier run left live are carried over and `resumableSymbols()` returns them;
   * otherwise any earlier record is replaced.
   */
  static async open(runDir: string, options: { resume?: boolean } = {}): Promise<SessionJournal> {
    const dir = path.resolve(runDir);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, JOURNAL_FILE);
    // One session writes a run dir at a time, so temp files found now are a killed run's.
    await removeOrphanTemps(file);
    const earlier = options.resume ? await readJournal(file) : undefined;
    const carried = (earlier?.symbols ?? []).filter((entry) => RESUMABLE[entry.status]);
    const record: JournalRecord = { version: 1, pid: process.pid, startedAt: Date.now(), config: null, state: null, transitions: [], symbols: carried };
    const journal = new SessionJournal(file, record, carried.map((entry) => ({ symbol: entry.symbol, streams: [...entry.streams] })));
    await journal.#db.write();
    return journal;
  }

  /** The journal in `runDir` as last written, without opening it for writing; `undefined` when there is none. */
  static async read(runDir: string): Promise<JournalRecord | undefined> {
    return readJournal(path.join(path.resolve(runDir), JOURNAL_FILE));
  }

  /** A copy of the record as it is in memory now (possibly ahead of the file until `flush`). */
  get record(): JournalRecord {
    return structuredClone(this.#db.data);
  }

  recordConfig(config: RecordedConfig): void {
    this.#update((record) => {
      record.config = { ...config, symbols: config.symbols.map((entry) => ({ symbol: entry.symbol, streams: [...entry.streams] })) };
    });
  }

  recordTransition(state: string, at: { sim: number; wall: number }): void {
    this.#update((record) => {
      record.state = { name: state, sim: at.sim, wall: at.wall };
      record.transitions.push({ state, sim: at.sim, wall: at.wall });
      if (record.transitions.length > MAX_TRANSITIONS) record.transitions.splice(0, record.transitions.length - MAX_TRANSITIONS);
      // `closed` is the session machine's final state: the run is over.
      if (state === 'closed') record.endedAt = at.wall;
    });
  }

  recordSymbol(entry: RecordedSymbol): void {
    this.#update((record) => {
      const copy: RecordedSymbol = {
        symbol: entry.symbol,
        status: entry.status,
        streams: [...entry.streams],
        addedAt: { sim: entry.addedAt.sim, wall: entry.addedAt.wall },
        updatedAt: { sim: entry.updatedAt.sim, wall: entry.updatedAt.wall },
        ...(entry.error ? { error: { code: entry.error.code, message: entry.error.message } } : {}),
      };
      const index = record.symbols.findIndex((existing) => existing.symbol === entry.symbol);
      if (index >= 0) record.symbols[index] = copy;
      else record.symbols.push(copy);
    });
  }

  /** What the earlier run left live, as found when the journal was opened with `resume`. */
  resumableSymbols(): Array<{ symbol: string; streams: Interval[] }> {
    return this.#resumable.map((entry) => ({ symbol: entry.symbol, streams: [...entry.streams] }));
  }

  /** Waits until everything recorded so far is on disk; rejects if that last write failed. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
    if (this.#recordError !== undefined) throw this.#recordError;
    if (this.#writeError !== undefined) throw this.#writeError;
  }

  /** Never throws into the session: a bad argument is kept for `flush` to report. */
  #update(change: (record: JournalRecord) => void): void {
    try {
      change(this.#db.data);
    } catch (error) {
      this.#recordError ??= error;
      return;
    }
    this.#dirty = true;
    this.#writing ??= this.#drain();
  }

  /** Writes until nothing is pending; lowdb serializes the record when a write starts, so each write takes the latest state. */
  async #drain(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        try {
          await this.#db.write();
          this.#writeError = undefined;
        } catch (error) {
          this.#writeError = error;
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }
}

function journalFile(file: string): Adapter<JournalRecord> {
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return parseJournal(text, file);
    },
    // Serialized when the write starts, so each write takes the record as it is then.
    write: (record) => writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`),
  };
}

async function readJournal(file: string): Promise<JournalRecord | undefined> {
  try {
    return (await journalFile(file).read()) ?? undefined;
  } catch (error) {
    if (isSessionError(error)) throw error;
    throw corruptJournal(file, error instanceof Error ? error.message : String(error), error);
  }
}
