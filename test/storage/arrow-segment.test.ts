import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { Dictionary, Field, Float64, Int32, makeData, makeVector, RecordBatch, Schema, Struct, Table, tableToIPC, TimestampMillisecond, Utf8, type Data } from 'apache-arrow';
import { BarColumns } from '../../data-plane/bar-columns.js';
import { passesBarRules } from '../../data-plane/bar-rules.js';
import { isSessionError } from '../../model/session-error.js';
import { isValidSymbol } from '../../model/symbol-name.js';
import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { decodeSegment, encodeSegment, timeAt } from '../../storage/bars/arrow-segment.js';

const DAY = Date.UTC(2024, 2, 8);
const RANGE = { start: DAY, end: DAY + 86_400_000 };

/** What Arrow's own writer makes of a segment's columns: the file `encodeSegment` must write. */
function arrowWriter(series: ReadonlyMap<string, BarColumnsView>): Uint8Array {
  const names = [...series.keys()].sort();
  const bars = names.map((name) => series.get(name)!);
  const rows = bars.reduce((sum, one) => sum + one.length, 0);
  const column = (field: 't' | 'o' | 'h' | 'l' | 'c' | 'v') => Float64Array.from(bars.flatMap((one) => [...one[field].subarray(0, one.length)]));
  const indices = Int32Array.from(bars.flatMap((one, k) => Array<number>(one.length).fill(k)));
  const symbolType = () => new Dictionary(new Utf8(), new Int32(), 0, false);
  const fields = [new Field('symbol', symbolType(), false), new Field('t', new TimestampMillisecond('UTC'), false), ...['o', 'h', 'l', 'c', 'v'].map((name) => new Field(name, new Float64(), false))];
  const schema = new Schema(fields);
  const encoded = names.map((name) => new TextEncoder().encode(name));
  const valueOffsets = new Int32Array(names.length + 1);
  encoded.forEach((bytes, k) => (valueOffsets[k + 1] = valueOffsets[k]! + bytes.length));
  const dictionary = makeData({ type: new Utf8(), length: names.length, nullCount: 0, valueOffsets, data: Uint8Array.from(encoded.flatMap((bytes) => [...bytes])) });
  const children: Data[] = [
    makeData({ type: symbolType(), length: rows, nullCount: 0, data: indices, dictionary: makeVector(dictionary) }),
    makeData({ type: new TimestampMillisecond('UTC'), length: rows, nullCount: 0, data: BigInt64Array.from(column('t'), (t) => BigInt(t)) }),
    ...(['o', 'h', 'l', 'c', 'v'] as const).map((field) => makeData({ type: new Float64(), length: rows, nullCount: 0, data: column(field) })),
  ];
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
  return tableToIPC(new Table(schema, [batch]), 'file');
}

/** A day partition's series: any number of symbols of any name length, any row count, any prices. */
const series = fc
  .uniqueArray(fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,14}$/), { minLength: 1, maxLength: 8 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc.tuple(fc.constant(name), fc.integer({ min: 1, max: 1_440 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 1_439 })).map(([symbol, rows, price, start]) => {
          const bars = new BarColumns(rows + 3);
          for (let i = 0; i < rows; i++) bars.append(DAY + ((start + i) % 1_440) * 60_000, price, price + i, price - i, price * i, i);
          return [symbol, bars] as const;
        }),
      ),
    ),
  )
  .map((entries) => new Map<string, BarColumns>(entries.map(([symbol, bars]) => [symbol, sortedUnique(bars)])));

function sortedUnique(bars: BarColumns): BarColumns {
  const order = Array.from({ length: bars.length }, (_, i) => i).sort((a, b) => bars.t[a]! - bars.t[b]!);
  const out = new BarColumns(bars.length);
  for (const i of order) out.append(bars.t[i]!, bars.o[i]!, bars.h[i]!, bars.l[i]!, bars.c[i]!, bars.v[i]!);
  return out;
}

testProp('encodeSegment writes what Arrow’s file writer writes, byte for byte, for any segment', [series], (t, segment) => {
  t.is(Buffer.compare(encodeSegment(segment), arrowWriter(segment)), 0);
}, { numRuns: 150 });

test('a segment reads back as written', (t) => {
  for (let k = 0; k < 3; k++) {
    const bars = new BarColumns(1440);
    for (let i = 0; i < 1440; i++) bars.append(DAY + i * 60_000, k + i, k + i + 1, k + i - 1, k, 100 * k + i);
    const segment = new Map([[k % 2 ? 'BULK' : 'ZERO', bars], ['A', sortedUnique(bars)]]);
    const read = decodeSegment(encodeSegment(segment), `segment-${k}.arrow`, RANGE);
    t.deepEqual([...read.symbols], [['A', { from: 0, to: 1440 }], [k % 2 ? 'BULK' : 'ZERO', { from: 1440, to: 2880 }]]);
    t.deepEqual([timeAt(read, 0), timeAt(read, 1439), timeAt(read, 2879), read.o[7], read.v[2879]], [DAY, DAY + 1439 * 60_000, DAY + 1439 * 60_000, k + 7, 100 * k + 1439]);
  }
});

test('a day of 500 symbols is Arrow’s file too', (t) => {
  const day = new Map<string, BarColumns>();
  for (let s = 0; s < 500; s++) {
    const bars = new BarColumns(390);
    for (let i = 0; i < 390; i++) bars.append(DAY + (870 + i) * 60_000, s + i / 100, s + i / 100 + 1, s, s + 0.5, 1_000 + i);
    day.set(`S${String(s).padStart(3, '0')}`, bars);
  }
  t.is(Buffer.compare(encodeSegment(day), arrowWriter(day)), 0);
});

/** `series` with names a store accepts: a segment's reader rejects any other. */
const storedSeries = series.filter((segment) => [...segment.keys()].every((name) => isValidSymbol(name)));

testProp('a segment with a value that is not finite is CORRUPT_FILE; any other is sound (its reads vouched for) exactly when every bar in it passes the bar rules', [storedSeries, fc.boolean()], (t, segment, misalign) => {
  // A millisecond off the minute for one bar: still in order, but not aligned.
  const first = [...segment.values()][0]!;
  if (misalign) first.t[0] = first.t[0]! + 1;
  const bars = [...segment.values()];
  const finite = bars.every(({ o, h, l, c, v, length }) => [o, h, l, c, v].every((column) => column.subarray(0, length).every(Number.isFinite)));
  const read = () => decodeSegment(encodeSegment(segment), 'segment.arrow', RANGE);
  // Derived prices can overflow: a value that is not finite is a corrupt file, never a bar dropped.
  if (!finite) t.true(isSessionError(t.throws(read), 'CORRUPT_FILE'));
  else t.is(read().sound, bars.every((one) => passesBarRules(one)));
}, { numRuns: 150 });

test('a value that is not a finite number is CORRUPT_FILE, naming its column and row', (t) => {
  for (const column of ['o', 'h', 'l', 'c', 'v'] as const) {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const bars = new BarColumns(3);
      for (let i = 0; i < 3; i++) bars.append(DAY + i * 60_000, 10, 11, 9, 10, 100);
      bars[column][1] = value;
      const error = t.throws(() => decodeSegment(encodeSegment(new Map([['AAPL', bars]])), 'bad.arrow', RANGE));
      t.true(isSessionError(error, 'CORRUPT_FILE'), String(error));
      t.regex(error!.message, new RegExp(`bad\\.arrow is corrupt: ${column} at row 1 is ${String(value)}, not a finite number`));
    }
  }
});
