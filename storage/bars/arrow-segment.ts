import { createRequire } from 'node:module';
import type { Data, DataType as DataTypeClass, Table } from 'apache-arrow';
import type * as ArrowModule from 'apache-arrow';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
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
}

// The package's single-file build: the same API, loaded in ~14 ms where its hundreds of ES
// modules take ~110 ms, a fifth of a CLI backtest's whole budget.
const {
  DataType,
  Dictionary,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table: TableClass,
  tableFromIPC,
  tableToIPC,
  TimestampMillisecond,
  TimeUnit,
  Utf8,
  makeVector,
} = createRequire(import.meta.url)('apache-arrow/Arrow.esnext.min') as typeof ArrowModule;

const TWO_32 = 4_294_967_296;
const MAGIC = [...'ARROW1'].map((char) => char.charCodeAt(0));
const VALUE_COLUMNS = ['o', 'h', 'l', 'c', 'v'] as const;
const COLUMN_NAMES = ['symbol', 't', ...VALUE_COLUMNS];
const symbolType = () => new Dictionary(new Utf8(), new Int32(), 0, false);

/** Epoch ms of row `i`. Times are non-negative and below 2^53, so the high word times 2^32 plus the unsigned low word is exact. */
export function timeAt(segment: Segment, i: number): number {
  return segment.time[2 * i + 1]! * TWO_32 + (segment.time[2 * i]! >>> 0);
}

/**
 * The Feather v2 (Arrow IPC file) bytes of one segment: `symbol` (dictionary of utf8, int32
 * indices), `t` (timestamp[ms, UTC]) and `o h l c v` (float64), no nulls, one record batch,
 * rows sorted by symbol then `t`. `series` must hold sorted, one-per-`t`, non-empty series.
 */
export function encodeSegment(series: ReadonlyMap<string, BarColumnsView>): Uint8Array {
  return encodeColumns(segmentColumns(series));
}

/**
 * Encodes segments byte for byte as `encodeSegment` does, faster for a shape it has met before.
 * A segment's metadata (schema, buffer offsets and lengths, footer) depends only on its number
 * of rows, of symbols and of bytes in their names; the rest of the file is the columns. So the
 * second segment of a shape is kept as a template, and the next ones of that shape are the
 * template with their columns copied in: Arrow's writer took ~0.3 ms a segment, most of a
 * write's CPU for years of one symbol's days, and a day of one symbol has 390 or 1,440 rows
 * nearly every time.
 */
export class SegmentEncoder {
  readonly #sightings = new Map<string, number>();
  readonly #templates = new Map<string, SegmentTemplate>();

  /** Bytes of the templates it keeps. */
  get heldBytes(): number {
    let bytes = 0;
    for (const template of this.#templates.values()) bytes += template.bytes.byteLength;
    return bytes;
  }

  encode(series: ReadonlyMap<string, BarColumnsView>): Uint8Array {
    const columns = segmentColumns(series);
    const shape = `${columns.rows}:${columns.names.length}:${columns.nameBytes.byteLength}`;
    const template = this.#templates.get(shape);
    if (template) return fillTemplate(template, columns);
    const bytes = encodeColumns(columns);
    const seen = (this.#sightings.get(shape) ?? 0) + 1;
    if (this.#sightings.size >= MAX_SHAPES) this.#sightings.clear();
    this.#sightings.set(shape, seen);
    if (seen >= 2 && bytes.byteLength <= MAX_TEMPLATE_BYTES) {
      if (this.#templates.size >= MAX_TEMPLATES) this.#templates.clear();
      const made = templateOf(bytes);
      if (made) this.#templates.set(shape, made);
    }
    return bytes;
  }
}

/** Shapes counted, and templates kept, at most: a template is the size of one segment. */
const MAX_SHAPES = 4096;
const MAX_TEMPLATES = 16;
/** The writer's cost is per segment, not per byte: a big segment (a day of 500 symbols is 10 MB) gains nothing worth keeping its bytes for. */
const MAX_TEMPLATE_BYTES = 1024 * 1024;

/** One segment's bytes and where each column lies in them. */
interface SegmentTemplate {
  bytes: Uint8Array;
  nameOffsets: number;
  nameBytes: number;
  indices: number;
  time: number;
  values: number[];
}

/** Where the columns of an encoded segment lie: read back by Arrow's reader, whose columns view the bytes. */
function templateOf(bytes: Uint8Array): SegmentTemplate | undefined {
  const own = bytes.slice();
  const [symbolData, timeData, ...valueData] = tableFromIPC(own).batches[0]!.data.children as Data[];
  const names = symbolData!.dictionary!.data[0]!;
  const views = [names.valueOffsets, names.values, symbolData!.values, timeData!.values, ...valueData.map((data) => data.values)] as ArrayBufferView[];
  // A column Arrow copied out of the bytes has no place in them to fill.
  if (views.some((view) => view.buffer !== own.buffer)) return undefined;
  const [nameOffsets, nameBytes, indices, time, ...values] = views.map((view) => view.byteOffset - own.byteOffset);
  return { bytes: own, nameOffsets: nameOffsets!, nameBytes: nameBytes!, indices: indices!, time: time!, values };
}

function fillTemplate(template: SegmentTemplate, columns: SegmentColumns): Uint8Array {
  const out = template.bytes.slice();
  const put = (view: ArrayBufferView, at: number) => out.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), at);
  put(columns.nameOffsets, template.nameOffsets);
  put(columns.nameBytes, template.nameBytes);
  put(columns.indices, template.indices);
  put(columns.time, template.time);
  columns.values.forEach((values, k) => put(values, template.values[k]!));
  return out;
}

/** A segment's columns as the file holds them. */
interface SegmentColumns {
  names: string[];
  rows: number;
  /** The symbol dictionary: where each name starts in `nameBytes`, its utf8. */
  nameOffsets: Int32Array;
  nameBytes: Uint8Array;
  indices: Int32Array;
  /** int64 times as little-endian pairs of int32. */
  time: Int32Array;
  values: Float64Array[];
}

function segmentColumns(series: ReadonlyMap<string, BarColumnsView>): SegmentColumns {
  const names = [...series.keys()].sort();
  const rows = names.reduce((sum, name) => sum + series.get(name)!.length, 0);
  const indices = new Int32Array(rows);
  const time = new Int32Array(2 * rows);
  const values = VALUE_COLUMNS.map(() => new Float64Array(rows));
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
  const encoder = new TextEncoder();
  const encoded = names.map((name) => encoder.encode(name));
  const nameOffsets = new Int32Array(names.length + 1);
  encoded.forEach((bytes, k) => (nameOffsets[k + 1] = nameOffsets[k]! + bytes.length));
  const nameBytes = new Uint8Array(nameOffsets[names.length]!);
  encoded.forEach((bytes, k) => nameBytes.set(bytes, nameOffsets[k]!));
  return { names, rows, nameOffsets, nameBytes, indices, time, values };
}

function encodeColumns({ names, rows, nameOffsets, nameBytes, indices, time, values }: SegmentColumns): Uint8Array {
  const fields = [
    new Field('symbol', symbolType(), false),
    new Field('t', new TimestampMillisecond('UTC'), false),
    ...VALUE_COLUMNS.map((column) => new Field(column, new Float64(), false)),
  ];
  const schema = new Schema(fields);
  // Symbols as utf8 data made from their bytes: `vectorFromArray` goes through Arrow's generic
  // builders, ~0.25 ms a call, which was a third of encoding a one-symbol day partition.
  const dictionary = makeData({ type: new Utf8(), length: names.length, nullCount: 0, valueOffsets: nameOffsets, data: nameBytes });
  const children: Data[] = [
    makeData({ type: symbolType(), length: rows, nullCount: 0, data: indices, dictionary: makeVector(dictionary) }),
    makeData({ type: new TimestampMillisecond('UTC'), length: rows, nullCount: 0, data: new BigInt64Array(time.buffer) }),
    ...values.map((data) => makeData({ type: new Float64(), length: rows, nullCount: 0, data })),
  ];
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
  return tableToIPC(new TableClass(schema, [batch]), 'file');
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
  const segment: Segment = {
    file,
    rows,
    symbols: new Map(),
    time: new Int32Array(timeValues.buffer, timeValues.byteOffset, 2 * rows),
    o: valueData[0]!.values as Float64Array,
    h: valueData[1]!.values as Float64Array,
    l: valueData[2]!.values as Float64Array,
    c: valueData[3]!.values as Float64Array,
    v: valueData[4]!.values as Float64Array,
  };
  const symbols = segment.symbols as Map<string, { from: number; to: number }>;
  const time = segment.time;
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
      previous = t;
    }
    symbols.set(dictionary[index] as string, { from, to });
    from = to;
  }
  for (const column of VALUE_COLUMNS) {
    const values = segment[column];
    for (let i = 0; i < rows; i++) if (!Number.isFinite(values[i]!)) throw corruptSegment(file, `${column} at row ${i} is ${values[i]}, not a finite number`);
  }
  return segment;
}

export function corruptSegment(file: string, what: string): SessionError {
  return new SessionError('CORRUPT_FILE', `Bar file ${file} is corrupt: ${what}. Restore it from a backup, or delete it and import those bars again.`, { file });
}
