import { createRequire } from 'node:module';
import type { Data, DataType as DataTypeClass, Table } from 'apache-arrow';
import type * as ArrowModule from 'apache-arrow';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { isWholeMinute, valuesPassBarRules } from '../../data-plane/bar-rules.js';
import { SessionError } from '../../model/session-error.js';
import { isValidSymbol } from '../../model/symbol-name.js';

/**
 * One segment file of a partition, as read: the file's own buffers, viewed, never copied.
 * Rows are sorted by symbol, then by time; `symbols` says which rows hold which symbol.
 */
export interface Segment {
  readonly file: string;
  readonly rows: number;
  readonly symbols: ReadonlyMap<string, { from: number; to: number }>;
  /** The `t` column's int64 values as little-endian pairs of int32: read with `timeAt`. */
  readonly time: Int32Array;
  readonly o: Float64Array;
  readonly h: Float64Array;
  readonly l: Float64Array;
  readonly c: Float64Array;
  readonly v: Float64Array;
  /**
   * Every row passes the session's bar rules (`passesBarRules`): reads of the segment are vouched
   * for (`vouch`), and a load does not judge their bars again one by one.
   */
  readonly sound: boolean;
}

// The package's single-file build: the same API, loaded in ~14 ms where its hundreds of ES
// modules take ~110 ms. Loaded at the first segment read: writing a segment needs none of it.
let arrow: typeof ArrowModule | undefined;
const Arrow = (): typeof ArrowModule => (arrow ??= createRequire(import.meta.url)('apache-arrow/Arrow.esnext.min') as typeof ArrowModule);

const TWO_32 = 4_294_967_296;
const MAGIC = [...'ARROW1'].map((char) => char.charCodeAt(0));
const VALUE_COLUMNS = ['o', 'h', 'l', 'c', 'v'] as const;
const COLUMN_NAMES = ['symbol', 't', ...VALUE_COLUMNS];

/** Epoch ms of row `i`. Times are non-negative and below 2^53, so the high word times 2^32 plus the unsigned low word is exact. */
export function timeAt(segment: Segment, i: number): number {
  return segment.time[2 * i + 1]! * TWO_32 + (segment.time[2 * i]! >>> 0);
}

/**
 * What Arrow's file writer (`tableToIPC(table, 'file')`) writes for a segment, less the numbers
 * that depend on its size (zeroed here, filled in by `encodeSegment`). A segment always has the
 * same schema, one dictionary batch and one record batch, and never a null, so the writer's
 * metadata differs from one segment to the next only in its row count, its dictionary's length
 * and the lengths and offsets of the buffers that follow from them: a property test holds
 * `encodeSegment` equal to the writer byte for byte.
 *
 * - `HEAD`: the file magic, then the dictionary batch's message (`0xFFFFFFFF`, its length, the
 *   flatbuffer), 192 bytes; its body follows.
 * - `BATCH`: the record batch's message, 432 bytes; its body follows.
 * - `TAIL`: the end-of-stream marker, the footer (schema, and where the two batches lie), its
 *   length and the magic, 538 bytes.
 */
const HEAD = base64(
  'QVJST1cxAAD/////sAAAABQAAAAAAAAADAAcABoAEwAUAAQADAAAAAAAAAAAAAAAAAAAAAAAAAIQAAAAAAAEAAgACgAAAAQACAAAABAAAAAAAAoAGAAMAAgABAAKAAAAFAAAAEgAAAAAAAAAAAAAAAAAAAADAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAA',
);
const BATCH = base64(
  '/////6gBAAAUAAAAAAAAAAwAFgAUAA8AEAAEAAwAAAAAAAAAAAAAAAAAAAMQAAAABAAKABgADAAIAAQACgAAABQAAAD4AAAAAAAAAAAAAAAAAAAADgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
);
const TAIL = base64(
  '/////wAAAAAQAAAADAAUAA4AEAAEAAgADAAAABAAAAAsAAAAAAAEAEAAAAABAAAACAAAAAAAAAC4AAAAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAALABAAAAAAAAAAAAAAAAAAB8/v//BAAAAAcAAABIAQAA+AAAALQAAACIAAAAXAAAADAAAAAEAAAAMP///xAAAAAUAAAAAAAAAxAAAAABAAAAdgAAAAAAAABe////AAACAFj///8QAAAAFAAAAAAAAAMQAAAAAQAAAGMAAAAAAAAAhv///wAAAgCA////EAAAABQAAAAAAAADEAAAAAEAAABsAAAAAAAAAK7///8AAAIAqP///xAAAAAUAAAAAAAAAxAAAAABAAAAaAAAAAAAAADW////AAACAND///8QAAAAFAAAAAAAAAMYAAAAAQAAAG8AAAAAAAAAAAAGAAgABgAGAAAAAAACABAAFAAEAAAADwAQAAAACAAQAAAAEAAAABQAAAAAAAAKGAAAAAEAAAB0AAAAAAAAAAgADAAKAAQACAAAAAgAAAAAAAEAAwAAAFVUQwAQABgACAAAABMAFAAEAAwAEAAAADQAAAAQAAAAGAAAAAAAAAUYAAAABgAAAHN5bWJvbAAAAAAAAAQABAAEAAAACAAIAAAABAAIAAAADAAAAAgADAAIAAcACAAAAAAAAAEgAAAACAIAAEFSUk9XMQ==',
);
/** Where the size-dependent numbers (all int64) lie in `HEAD`, `BATCH` and `TAIL`. */
const AT = {
  head: { dictionaryBody: 40, dictionaryLength: 104, offsetsBuffer: 136, namesBuffer: 152, dictionaryNode: 176 },
  /** `buffers`: (offset, length) pairs of validity and values for the 7 columns; `nodes`: (length, null count) per column. */
  batch: { body: 32, length: 72, buffers: 88, nodes: 320 },
  tail: { dictionaryBody: 64, batchOffset: 80, batchBody: 96 },
} as const;

/**
 * The Feather v2 (Arrow IPC file) bytes of one segment: `symbol` (dictionary of utf8, int32
 * indices), `t` (timestamp[ms, UTC]) and `o h l c v` (float64), no nulls, one record batch,
 * rows sorted by symbol then `t`: byte for byte what Arrow's writer makes of them, written
 * straight into one buffer (Arrow's writer, and loading it, took ~30 ms for a 10 MB day of 500
 * symbols, ~0.3 ms for a day of one). `series` must hold sorted, one-per-`t`, non-empty series.
 */
export function encodeSegment(series: ReadonlyMap<string, BarColumnsView>): Uint8Array {
  const names = [...series.keys()].sort();
  const encoder = new TextEncoder();
  const encodedNames = names.map((name) => encoder.encode(name));
  const nameBytes = encodedNames.reduce((sum, bytes) => sum + bytes.length, 0);
  const rows = names.reduce((sum, name) => sum + series.get(name)!.length, 0);

  const offsetsLength = padded(4 * (names.length + 1));
  const namesLength = padded(nameBytes);
  const dictionaryBody = offsetsLength + namesLength;
  const indicesLength = padded(4 * rows);
  const columnLength = 8 * rows;
  const batchBody = indicesLength + (1 + VALUE_COLUMNS.length) * columnLength;
  const batchAt = HEAD.length + dictionaryBody;
  const tailAt = batchAt + BATCH.length + batchBody;
  // Zeroed: the padding after each buffer.
  const out = new Uint8Array(tailAt + TAIL.length);
  const view = new DataView(out.buffer);
  const int64 = (at: number, value: number) => {
    view.setUint32(at, value >>> 0, true);
    view.setUint32(at + 4, Math.floor(value / TWO_32), true);
  };

  out.set(HEAD, 0);
  int64(AT.head.dictionaryBody, dictionaryBody);
  int64(AT.head.dictionaryLength, names.length);
  int64(AT.head.offsetsBuffer + 8, offsetsLength);
  int64(AT.head.namesBuffer, offsetsLength);
  int64(AT.head.namesBuffer + 8, namesLength);
  int64(AT.head.dictionaryNode, names.length);
  const offsets = new Int32Array(out.buffer, HEAD.length, names.length + 1);
  let nameAt = HEAD.length + offsetsLength;
  encodedNames.forEach((bytes, k) => {
    offsets[k + 1] = offsets[k]! + bytes.length;
    out.set(bytes, nameAt);
    nameAt += bytes.length;
  });

  out.set(BATCH, batchAt);
  int64(batchAt + AT.batch.body, batchBody);
  int64(batchAt + AT.batch.length, rows);
  // The symbol's indices, then t, o, h, l, c, v: each column a validity buffer (empty, no nulls) and its values.
  const columnAt = [0, indicesLength];
  for (let k = 1; k <= VALUE_COLUMNS.length; k++) columnAt.push(indicesLength + k * columnLength);
  columnAt.forEach((at, k) => {
    const buffer = batchAt + AT.batch.buffers + 32 * k;
    int64(buffer, at);
    int64(buffer + 16, at);
    int64(buffer + 24, k === 0 ? indicesLength : columnLength);
    int64(batchAt + AT.batch.nodes + 16 * k, rows);
  });
  const bodyAt = batchAt + BATCH.length;
  const indices = new Int32Array(out.buffer, bodyAt, rows);
  const time = new Int32Array(out.buffer, bodyAt + indicesLength, 2 * rows);
  const values = VALUE_COLUMNS.map((_, k) => new Float64Array(out.buffer, bodyAt + indicesLength + (k + 1) * columnLength, rows));
  let row = 0;
  names.forEach((name, index) => {
    const bars = series.get(name)!;
    indices.fill(index, row, row + bars.length);
    for (let i = 0; i < bars.length; i++) {
      const t = bars.t[i]!;
      // ToUint32 is t modulo 2^32 for a non-negative integer: the low word, without a division.
      const low = t >>> 0;
      time[2 * (row + i)] = low;
      time[2 * (row + i) + 1] = (t - low) / TWO_32;
    }
    VALUE_COLUMNS.forEach((column, k) => values[k]!.set(bars[column].subarray(0, bars.length), row));
    row += bars.length;
  });

  out.set(TAIL, tailAt);
  int64(tailAt + AT.tail.dictionaryBody, dictionaryBody);
  int64(tailAt + AT.tail.batchOffset, batchAt);
  int64(tailAt + AT.tail.batchBody, batchBody);
  return out;
}

/** Arrow pads every buffer to a multiple of 8 bytes. */
function padded(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

function base64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * Reads a segment file's bytes and checks them against where the file sits: anything that
 * cannot be trusted throws `CORRUPT_FILE` naming the file, because a partial answer would
 * look like a day with fewer bars and a session would run on it.
 */
export function decodeSegment(bytes: Uint8Array, file: string, range: { start: number; end: number }): Segment {
  // The Feather v2 file magic at both ends: a file cut short loses the one at its end.
  if (bytes.byteLength < 12 || MAGIC.some((byte, i) => bytes[i] !== byte || bytes[bytes.byteLength - MAGIC.length + i] !== byte)) {
    throw corruptSegment(file, 'it is not an Arrow IPC file (no ARROW1 magic at its start and end); it may have been truncated');
  }
  const { DataType, tableFromIPC, TimeUnit } = Arrow();
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw corruptSegment(file, `it is not an Arrow IPC file (${error instanceof Error ? error.message : String(error)}); it may have been truncated`);
  }
  const names = table.schema.fields.map((field) => field.name);
  if (names.join() !== COLUMN_NAMES.join()) throw corruptSegment(file, `its columns are ${names.join(', ') || 'none'}, expected ${COLUMN_NAMES.join(', ')}`);
  if (table.batches.length !== 1) throw corruptSegment(file, `it has ${table.batches.length} record batches, expected 1`);
  const [symbolData, timeData, ...valueData] = table.batches[0]!.data.children as Data[];
  const symbolColumn = symbolData!.type as DataTypeClass;
  if (!DataType.isDictionary(symbolColumn) || !DataType.isUtf8(symbolColumn.dictionary) || symbolColumn.indices.bitWidth !== 32) {
    throw corruptSegment(file, `column symbol is ${String(symbolColumn)}, expected dictionary<utf8, int32>`);
  }
  const timeColumn = timeData!.type as DataTypeClass;
  if (!DataType.isTimestamp(timeColumn) || timeColumn.unit !== TimeUnit.MILLISECOND) throw corruptSegment(file, `column t is ${String(timeColumn)}, expected timestamp[ms]`);
  valueData.forEach((data, k) => {
    if (!DataType.isFloat(data.type) || data.type.precision !== 2) throw corruptSegment(file, `column ${VALUE_COLUMNS[k]} is ${String(data.type)}, expected float64`);
  });
  for (const [k, data] of [symbolData!, timeData!, ...valueData].entries()) {
    if (data.nullCount !== 0) throw corruptSegment(file, `column ${COLUMN_NAMES[k]} has ${data.nullCount} nulls`);
  }

  const rows = table.numRows;
  const dictionary = (symbolData!.dictionary?.toArray() ?? []) as unknown[];
  dictionary.forEach((name, k) => {
    if (!isValidSymbol(name)) throw corruptSegment(file, `symbol ${JSON.stringify(name)} is not a valid symbol`);
    if (k > 0 && (name as string) <= (dictionary[k - 1] as string)) throw corruptSegment(file, `symbols are not sorted and unique (${String(dictionary[k - 1])} before ${name})`);
  });
  const indices = symbolData!.values as Int32Array;
  const timeValues = timeData!.values as unknown as BigInt64Array;
  const segment: { -readonly [K in keyof Segment]: Segment[K] } = {
    file,
    rows,
    symbols: new Map(),
    time: new Int32Array(timeValues.buffer, timeValues.byteOffset, 2 * rows),
    o: valueData[0]!.values as Float64Array,
    h: valueData[1]!.values as Float64Array,
    l: valueData[2]!.values as Float64Array,
    c: valueData[3]!.values as Float64Array,
    v: valueData[4]!.values as Float64Array,
    sound: false,
  };
  // The row checks are functions of their own: as loops of this one, called once a file, V8
  // optimized them mid-loop and threw that code away on the first line after (--trace-deopt),
  // again for every file read.
  const aligned = indexSymbols(segment, indices, dictionary, range);
  segment.sound = checkValues(segment) && aligned;
  return segment;
}

/**
 * Finds each symbol's rows, checking that rows go by symbol, then strictly by `t` inside the
 * partition's `range`. Returns whether every `t` is a whole minute, as the bar rules want.
 */
function indexSymbols(segment: Segment, indices: Int32Array, dictionary: unknown[], range: { start: number; end: number }): boolean {
  const { file, rows, time } = segment;
  let aligned = true;
  const symbols = segment.symbols as Map<string, { from: number; to: number }>;
  for (let from = 0; from < rows; ) {
    const index = indices[from]!;
    if (index < 0 || index >= dictionary.length) throw corruptSegment(file, `symbol index ${index} at row ${from} is outside the dictionary`);
    if (from > 0 && index <= indices[from - 1]!) throw corruptSegment(file, `rows are not sorted by symbol at row ${from}`);
    let to = from;
    let previous = range.start - 1;
    for (; to < rows && indices[to] === index; to++) {
      const t = time[2 * to + 1]! * TWO_32 + (time[2 * to]! >>> 0);
      if (t <= previous || t >= range.end) {
        if (t >= range.start && t < range.end) throw corruptSegment(file, `t at row ${to} does not come after the row before: bars must be sorted, one per time`);
        throw corruptSegment(file, `t at row ${to} (${t}) is outside the partition [${range.start}, ${range.end})`);
      }
      if (!isWholeMinute(t)) aligned = false;
      previous = t;
    }
    symbols.set(dictionary[index] as string, { from, to });
    from = to;
  }
  return aligned;
}

/**
 * Throws `CORRUPT_FILE` at the first value that is not a finite number; returns whether every row
 * also passes the rest of the bar rules (no negative price or volume, high at or above low). One
 * pass over the rows: a pass per column took three times as long (75 against 23 ms for the 76
 * files of 24 days of 500 symbols).
 */
function checkValues(segment: Segment): boolean {
  const { o, h, l, c, v, rows } = segment;
  let sound = true;
  for (let i = 0; i < rows; i++) {
    if (valuesPassBarRules(o[i]!, h[i]!, l[i]!, c[i]!, v[i]!)) continue;
    for (const column of VALUE_COLUMNS) {
      const value = segment[column][i]!;
      if (!Number.isFinite(value)) throw corruptSegment(segment.file, `${column} at row ${i} is ${value}, not a finite number`);
    }
    sound = false;
  }
  return sound;
}

export function corruptSegment(file: string, what: string): SessionError {
  return new SessionError('CORRUPT_FILE', `Bar file ${file} is corrupt: ${what}. Restore it from a backup, or delete it and import those bars again.`, { file });
}
