import type { CsvDelimiter } from './csv-delimiter.js';

/** Text that is not CSV: a quote left open, or one where a field cannot hold it. `line` is where its record starts. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Where records go. A reader of many files hands over an object whose class has these methods,
 * not closures made per file: the splitter's compiled code then calls the same methods for
 * every file.
 */
export interface CsvSink {
  onRecord(fields: string[], line: number): void;
  onLine?(text: string, from: number, to: number, line: number): void;
}

/**
 * Splits CSV text into records as RFC 4180 reads it: fields split on the delimiter; a field in
 * double quotes may hold the delimiter, line breaks and `""` for a quote; lines end in `\n` or
 * `\r\n`; a blank line is a record of one empty field. Text comes in chunks, and a record cut
 * by a chunk's end waits for the next. Each record is handed over with the line it starts on.
 *
 * Written for vendor bar files, which never quote their numbers: a line without a quote is
 * split with `String.split`, ~4x faster than csv-parse was on them, the quoted path only for
 * lines that have one. With `onLine`, a line without a quote is not split at all but handed
 * over as where it lies in the text (line break excluded), for a reader that takes its fields
 * from there without a string for each.
 */
export class CsvRecords {
  #carry = '';
  #line = 1;

  constructor(
    readonly delimiter: CsvDelimiter,
    readonly sink: CsvSink,
  ) {}

  /** The line the next record starts on. */
  get line(): number {
    return this.#line;
  }

  push(text: string): void {
    this.#split(this.#carry.length === 0 ? text : this.#carry + text, false);
  }

  /** The text has ended: a last line without a line break is a record; an open quote is an error. */
  end(): void {
    this.#split(this.#carry, true);
  }

  #split(text: string, final: boolean): void {
    const { delimiter, sink } = this;
    const byLine = sink.onLine !== undefined;
    let at = 0;
    // The next quote from `at` on, found again only once passed: looking for it on every line
    // scanned the rest of a quote-free chunk each time, quadratic in the lines of a chunk.
    let quote = -1;
    while (at < text.length) {
      let newline = text.indexOf('\n', at);
      if (newline < 0) {
        if (!final) break;
        newline = text.length;
      }
      if (quote < at) {
        quote = text.indexOf('"', at);
        if (quote < 0) quote = text.length;
      }
      if (quote < newline) {
        const record = this.#quoted(text, at, final);
        if (!record) break;
        sink.onRecord(record.fields, this.#line);
        this.#line += record.lines;
        at = record.next;
        continue;
      }
      const end = newline > at && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
      if (byLine) sink.onLine!(text, at, end, this.#line);
      else sink.onRecord(text.slice(at, end).split(delimiter), this.#line);
      this.#line++;
      at = newline + 1;
    }
    this.#carry = at >= text.length ? '' : text.slice(at);
  }

  /** The record starting at `at`, with quoted fields; undefined when it may go on past the text so far. */
  #quoted(text: string, at: number, final: boolean): { fields: string[]; next: number; lines: number } | undefined {
    const { delimiter } = this;
    const fields: string[] = [];
    let lines = 1;
    let i = at;
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            if (final) throw new CsvSyntaxError('a quoted field is not closed', this.#line);
            return undefined;
          }
          value += text.slice(from, close);
          // A quote at the very end of the text so far (maybe the first of a `""`) waits below for more.
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) lines++;
        fields.push(value);
        if (i >= text.length) return final ? { fields, next: i, lines } : undefined;
        const next = text.charCodeAt(i);
        if (text[i] === delimiter) {
          i++;
          continue;
        }
        if (next === LF) return { fields, next: i + 1, lines };
        if (next === CR) {
          if (i + 1 >= text.length) return final ? { fields, next: i + 1, lines } : undefined;
          if (text.charCodeAt(i + 1) === LF) return { fields, next: i + 2, lines };
        }
        throw new CsvSyntaxError(`${JSON.stringify(text[i])} after the closing quote of field ${fields.length}: a quoted field must end at a delimiter or a line break`, this.#line);
      }
      const newline = text.indexOf('\n', i);
      const split = text.indexOf(delimiter, i);
      if (newline < 0 && !final) return undefined;
      const lineEnd = newline < 0 ? text.length : newline;
      const fieldEnd = split >= 0 && split < lineEnd ? split : lineEnd;
      const field = text.slice(i, fieldEnd === lineEnd && fieldEnd > i && text.charCodeAt(fieldEnd - 1) === CR ? fieldEnd - 1 : fieldEnd);
      if (field.includes('"')) throw new CsvSyntaxError(`a quote inside field ${fields.length + 1}, which does not start with one (${JSON.stringify(field)})`, this.#line);
      fields.push(field);
      if (fieldEnd === lineEnd) return { fields, next: lineEnd + 1, lines };
      i = fieldEnd + 1;
    }
  }
}
