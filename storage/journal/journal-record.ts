import { isInterval } from '../../model/bar.js';
import type { RecordedCommand, RecordedConfig, RecordedSymbol, SymbolCommand } from '../../model/session-recorder.js';
import { JournalError } from './journal-error.js';

/** A moment as the session sees it: simulated clock and wall clock, epoch ms. */
export interface JournalTransition {
  state: string;
  sim: number;
  wall: number;
}

/**
 * What a session journal says, folded from its records: the configuration, every command with
 * the minute it was made at, how far the simulated clock got, and, for people and for
 * `data list-dynamic`, the latest states and the added symbols' statuses.
 */
export interface JournalRecord {
  version: 2;
  /** The process that wrote last, so a reader can tell whether the run is still alive. */
  pid: number;
  /** Wall clock when that process opened the journal, epoch ms. */
  startedAt: number;
  /** How many processes wrote it: 1, plus one per resume. */
  runs: number;
  config: RecordedConfig | null;
  state: { name: string; sim: number; wall: number } | null;
  /** The latest transitions, oldest first, at most `MAX_TRANSITIONS`. */
  transitions: JournalTransition[];
  /** One entry per dynamically added symbol, as last reported. */
  symbols: RecordedSymbol[];
  /** Every command, in the order made. */
  commands: RecordedCommand[];
  /** The last simulated minute reached, epoch ms; `null` before the clock moved. */
  reached: number | null;
  /** Wall clock when the session reached `closed`; absent while it runs or if it died. */
  endedAt?: number;
}

export const MAX_TRANSITIONS = 500;

/** The records a session journal holds after its header, one a line. */
export type SessionJournalBody =
  | { type: 'open'; pid: number; startedAt: number; resumed: boolean }
  | { type: 'config'; config: RecordedConfig }
  | ({ type: 'command' } & RecordedCommand)
  | { type: 'progress'; sim: number }
  | { type: 'state'; state: string; sim: number; wall: number }
  | { type: 'symbol'; entry: RecordedSymbol };

export function emptyJournalRecord(): JournalRecord {
  return { version: 2, pid: 0, startedAt: 0, runs: 0, config: null, state: null, transitions: [], symbols: [], commands: [], reached: null };
}

/**
 * Applies one record to the fold, in place. `number` is the record's line in the file (the
 * header is 1), for the error a record of the wrong shape gets.
 */
export function applyJournalBody(record: JournalRecord, body: Record<string, unknown>, number: number, file: string): void {
  const bad = (what: string) => new JournalError('JOURNAL_CORRUPT', `${file} is damaged: record ${number} (${JSON.stringify(body.type)}) ${what}. Start over with --force-new.`, { file, record: number });
  switch (body.type) {
    case 'open':
      if (!isNumber(body.pid) || !isNumber(body.startedAt)) throw bad('has no pid or start time');
      record.pid = body.pid;
      record.startedAt = body.startedAt;
      record.runs += 1;
      // A new process runs the session again: it has not ended (yet).
      delete record.endedAt;
      return;
    case 'config':
      if (!isConfig(body.config)) throw bad('is not a session configuration');
      record.config = body.config;
      return;
    case 'command': {
      if (!isNumber(body.sim) || !isCommand(body.command)) throw bad('is not a command {sim, command}');
      record.commands.push({ sim: body.sim, command: body.command, ...(isNumber(body.planned) ? { planned: body.planned } : {}) });
      return;
    }
    case 'progress':
      if (!isNumber(body.sim)) throw bad('has no minute');
      record.reached = Math.max(record.reached ?? body.sim, body.sim);
      return;
    case 'state': {
      if (typeof body.state !== 'string' || !isNumber(body.sim) || !isNumber(body.wall)) throw bad('is not {state, sim, wall}');
      const at = { sim: body.sim, wall: body.wall };
      record.state = { name: body.state, ...at };
      record.transitions.push({ state: body.state, ...at });
      if (record.transitions.length > MAX_TRANSITIONS) record.transitions.splice(0, record.transitions.length - MAX_TRANSITIONS);
      // `closed` is the session machine's final state: the run is over.
      if (body.state === 'closed') record.endedAt = body.wall;
      return;
    }
    case 'symbol': {
      if (!isRecordedSymbol(body.entry)) throw bad('is not a recorded symbol');
      const entry = body.entry;
      const index = record.symbols.findIndex((existing) => existing.symbol === entry.symbol);
      if (index >= 0) record.symbols[index] = entry;
      else record.symbols.push(entry);
      return;
    }
    default:
      throw bad('is of no known type');
  }
}

function isCommand(value: unknown): value is SymbolCommand {
  if (!isObject(value) || typeof value.symbol !== 'string') return false;
  if (value.op === 'add') return Array.isArray(value.streams) && value.streams.every(isInterval);
  return value.op === 'remove' && typeof value.immediate === 'boolean';
}

function isConfig(value: unknown): value is RecordedConfig {
  return (
    isObject(value) &&
    (value.mode === 'backtest' || value.mode === 'live') &&
    typeof value.date === 'string' &&
    typeof value.calendar === 'string' &&
    typeof value.extendedHours === 'boolean' &&
    Array.isArray(value.symbols) &&
    value.symbols.every((entry) => isObject(entry) && typeof entry.symbol === 'string' && Array.isArray(entry.streams) && entry.streams.every(isInterval))
  );
}

function isRecordedSymbol(entry: unknown): entry is RecordedSymbol {
  return (
    isObject(entry) &&
    typeof entry.symbol === 'string' &&
    typeof entry.status === 'string' &&
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
