import { isInterval } from '../../model/bar.js';
import type { SymbolStatus } from '../../model/symbol-status.js';
import { SessionError } from '../../model/session-error.js';
import type { RecordedConfig, RecordedSymbol } from '../../model/session-recorder.js';

/** A moment as the session sees it: simulated clock and wall clock, epoch ms. */
export interface JournalTransition {
  state: string;
  sim: number;
  wall: number;
}

/** What `<runDir>/journal.json` holds: one session run, as last written. */
export interface JournalRecord {
  version: 1;
  /** The process that wrote it, so a reader can tell whether the run is still alive. */
  pid: number;
  /** Wall clock, epoch ms. */
  startedAt: number;
  config: RecordedConfig | null;
  state: { name: string; sim: number; wall: number } | null;
  /** The latest transitions, oldest first, at most `MAX_TRANSITIONS`. */
  transitions: JournalTransition[];
  /** One entry per dynamically added symbol, as last reported. */
  symbols: RecordedSymbol[];
  /** Wall clock when the session reached `closed`; absent while it runs or if it died. */
  endedAt?: number;
}

export const MAX_TRANSITIONS = 500;

/**
 * Which statuses a resumed run adds again. `draining` is not among them: the user asked for
 * the symbol to go, and a restart must not bring it back; `removed` and `failed` are over.
 * A `Record` so that a new status in the symbol machine does not compile until decided here.
 */
export const RESUMABLE: Readonly<Record<SymbolStatus, boolean>> = {
  queued: true,
  loading: true,
  catchingUp: true,
  active: true,
  draining: false,
  removed: false,
  failed: false,
};

/** Parses a journal's text; anything that is not a journal this version wrote is `CORRUPT_FILE`. */
export function parseJournal(text: string, file: string): JournalRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corruptJournal(file, `it is not valid JSON (${error instanceof Error ? error.message : String(error)}); it may have been truncated`);
  }
  if (!isObject(data)) throw corruptJournal(file, 'it does not hold a JSON object');
  if (data.version !== 1) throw corruptJournal(file, `it has version ${JSON.stringify(data.version)}, expected 1`);
  for (const field of ['pid', 'startedAt'] as const) if (!isNumber(data[field])) throw corruptJournal(file, `"${field}" is not a number`);
  if (data.endedAt !== undefined && !isNumber(data.endedAt)) throw corruptJournal(file, '"endedAt" is not a number');
  if (data.config !== null && !isObject(data.config)) throw corruptJournal(file, '"config" is neither an object nor null');
  if (data.state !== null && !(isObject(data.state) && typeof data.state.name === 'string' && isMoment(data.state))) {
    throw corruptJournal(file, '"state" is neither {name, sim, wall} nor null');
  }
  if (!Array.isArray(data.transitions)) throw corruptJournal(file, '"transitions" is not an array');
  const badTransition = data.transitions.findIndex((entry) => !(isObject(entry) && typeof entry.state === 'string' && isMoment(entry)));
  if (badTransition >= 0) throw corruptJournal(file, `transitions[${badTransition}] is not {state, sim, wall}`);
  if (!Array.isArray(data.symbols)) throw corruptJournal(file, '"symbols" is not an array');
  const badSymbol = data.symbols.findIndex((entry) => !isRecordedSymbol(entry));
  if (badSymbol >= 0) throw corruptJournal(file, `symbols[${badSymbol}] is not a recorded symbol ({symbol, status, streams, addedAt, updatedAt})`);
  return data as unknown as JournalRecord;
}

function isRecordedSymbol(entry: unknown): boolean {
  return (
    isObject(entry) &&
    typeof entry.symbol === 'string' &&
    typeof entry.status === 'string' &&
    Object.hasOwn(RESUMABLE, entry.status) &&
    Array.isArray(entry.streams) &&
    entry.streams.every(isInterval) &&
    isObject(entry.addedAt) &&
    isMoment(entry.addedAt) &&
    isObject(entry.updatedAt) &&
    isMoment(entry.updatedAt)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isMoment(value: Record<string, unknown>): boolean {
  return isNumber(value.sim) && isNumber(value.wall);
}

export function corruptJournal(file: string, what: string, cause?: unknown): SessionError {
  return new SessionError('CORRUPT_FILE', `Session journal ${file} is unreadable: ${what}. Delete it to start a fresh record.`, { file }, cause === undefined ? undefined : { cause });
}
