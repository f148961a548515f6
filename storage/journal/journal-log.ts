import { createHash } from 'node:crypto';
import { closeSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { JournalError } from './journal-error.js';

/** What the first record of every journal says; a reader refuses any other version. */
export const JOURNAL_FORMAT = 'tapedeck-journal';
export const JOURNAL_VERSION = 2;

/**
 * An append-only log of JSON records, one a line, each behind a checksum of its text:
 * `<16 hex digits of sha256> <json>\n`. A line is written whole by one `write`, so a process
 * killed at any moment leaves whole records and at most one torn last line, which readers
 * ignore. A bad record with good records after it is damage, not a torn write: refused.
 */
export interface JournalRead {
  /** The records' bodies after the header, in order. */
  bodies: Array<Record<string, unknown>>;
  /** Bytes of the file that hold whole records: where the next record goes. */
  validBytes: number;
  /** The last line was torn (or damaged) and is ignored. */
  tornTail: boolean;
}

export function encodeRecord(body: Record<string, unknown>): string {
  const json = JSON.stringify(body);
  return `${checksum(json)} ${json}\n`;
}

function checksum(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Reads `file`; `undefined` when there is none. Throws `JournalError` for damage or another version. */
export function readJournalLog(file: string): JournalRead | undefined {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseJournalLog(buffer, file);
}

export function parseJournalLog(buffer: Buffer, file: string): JournalRead {
  if (buffer[0] === 0x7b /* { */) {
    throw new JournalError('JOURNAL_VERSION', `${file} is a journal of an earlier tapedeck (one JSON document, format 1); this one reads format ${JOURNAL_VERSION}. It cannot be resumed: start over with --force-new (or delete it).`, { file, version: 1 });
  }
  const lines: Array<{ body: Record<string, unknown> | undefined; end: number }> = [];
  let start = 0;
  while (start < buffer.length) {
    const newline = buffer.indexOf(0x0a, start);
    const end = newline < 0 ? buffer.length : newline + 1;
    // A line without its newline was cut short by a kill, whatever it holds.
    lines.push({ body: newline < 0 ? undefined : decodeLine(buffer.toString('utf8', start, newline)), end });
    start = end;
  }
  const firstBad = lines.findIndex((line) => line.body === undefined);
  if (firstBad >= 0 && lines.slice(firstBad + 1).some((line) => line.body !== undefined)) {
    throw new JournalError('JOURNAL_CORRUPT', `${file} is damaged: record ${firstBad + 1} of ${lines.length} does not match its checksum, and records after it do. Nothing was resumed; start over with --force-new (the file is left as it is for a look).`, { file, record: firstBad + 1 });
  }
  const whole = firstBad < 0 ? lines : lines.slice(0, firstBad);
  const header = whole[0]?.body;
  if (header && (header.type !== 'journal' || header.format !== JOURNAL_FORMAT || header.version !== JOURNAL_VERSION)) {
    const version = header.type === 'journal' && header.format === JOURNAL_FORMAT ? JSON.stringify(header.version) : 'unknown';
    throw new JournalError('JOURNAL_VERSION', `${file} is a journal of format ${version}; this tapedeck reads format ${JOURNAL_VERSION}. It cannot be resumed: start over with --force-new (or delete it).`, { file, version: header.version });
  }
  return {
    bodies: whole.slice(1).map((line) => line.body!),
    validBytes: whole.at(-1)?.end ?? 0,
    tornTail: firstBad >= 0,
  };
}

function decodeLine(line: string): Record<string, unknown> | undefined {
  const match = /^([0-9a-f]{16}) (.*)$/s.exec(line);
  if (!match || checksum(match[2]!) !== match[1]) return undefined;
  try {
    const body: unknown = JSON.parse(match[2]!);
    return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { type?: unknown }).type === 'string' ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The writing end: synchronous appends to an open file, so a record is in the kernel's hands
 * before the call returns and survives a `kill -9` of the process. Records marked durable are
 * also `fdatasync`ed (commands, configuration, completed days), so they survive a power cut.
 * A failed write never throws into the caller's hot path: it is kept for `check()`.
 */
export class JournalWriter {
  readonly file: string;
  #fd: number | undefined;
  #error: unknown;

  private constructor(file: string, fd: number) {
    this.file = file;
    this.#fd = fd;
  }

  /** A new log in `file` (any earlier one is replaced), its header written. */
  static create(file: string): JournalWriter {
    const writer = new JournalWriter(file, openSync(file, 'w'));
    writer.append({ type: 'journal', format: JOURNAL_FORMAT, version: JOURNAL_VERSION }, { durable: true });
    writer.check();
    return writer;
  }

  /** Appends to the log `read` found in `file`, first cutting off a torn last line. */
  static continue(file: string, read: JournalRead): JournalWriter {
    if (read.validBytes === 0) return JournalWriter.create(file);
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, read.validBytes);
    closeSync(fd);
    return new JournalWriter(file, openSync(file, 'a'));
  }

  append(body: Record<string, unknown>, options: { durable?: boolean } = {}): void {
    if (this.#fd === undefined || this.#error !== undefined) return;
    try {
      writeSync(this.#fd, encodeRecord(body));
      if (options.durable) fdatasyncSync(this.#fd);
    } catch (error) {
      this.#error = error;
    }
  }

  /** Throws the first failed write, if any. */
  check(): void {
    if (this.#error !== undefined) {
      const reason = this.#error instanceof Error ? this.#error.message : String(this.#error);
      throw new JournalError('JOURNAL_WRITE_FAILED', `The journal ${this.file} could not be written (${reason}); the run goes on unrecorded from there.`, { file: this.file }, { cause: this.#error });
    }
  }

  /** Syncs what was written and closes the file; later appends are ignored. */
  close(): void {
    if (this.#fd === undefined) return;
    try {
      fdatasyncSync(this.#fd);
      closeSync(this.#fd);
    } catch (error) {
      this.#error ??= error;
    }
    this.#fd = undefined;
  }
}
