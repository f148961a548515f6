import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { BarColumns } from '../../data-plane/bar-columns.js';
import { decodeSegment, encodeSegment, SegmentEncoder, timeAt } from '../../storage/bars/arrow-segment.js';

const DAY = Date.UTC(2024, 2, 8);
const RANGE = { start: DAY, end: DAY + 86_400_000 };

/** A day partition's series: few row counts and names, so shapes repeat and templates are made and used. */
const series = fc
  .uniqueArray(fc.constantFrom('A', 'BB', 'CC', 'DDD', 'BRK.B'), { minLength: 1, maxLength: 3 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc.tuple(fc.constant(name), fc.constantFrom(1, 2, 390), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 1_000 })).map(([symbol, rows, price, start]) => {
          const bars = new BarColumns(rows);
          for (let i = 0; i < rows; i++) bars.append(DAY + (start + i) * 60_000, price, price + i, price - i, price * i, i);
          return [symbol, bars] as const;
        }),
      ),
    ),
  )
  .map((entries) => new Map<string, BarColumns>(entries));

testProp(
  'a SegmentEncoder writes what encodeSegment writes, byte for byte, whether from a template or not',
  [fc.array(series, { minLength: 1, maxLength: 12 })],
  (t, segments) => {
    const encoder = new SegmentEncoder();
    for (const segment of segments) t.is(Buffer.compare(encoder.encode(segment), encodeSegment(segment)), 0);
  },
  { numRuns: 60 },
);

test('segments of one shape after the second are filled into a template, and read back as written', (t) => {
  const encoder = new SegmentEncoder();
  for (let k = 0; k < 5; k++) {
    const bars = new BarColumns(1440);
    for (let i = 0; i < 1440; i++) bars.append(DAY + i * 60_000, k + i, k + i + 1, k + i - 1, k, 100 * k + i);
    const segment = new Map([[k % 2 ? 'BULK' : 'ZERO', bars]]);
    const bytes = encoder.encode(segment);
    t.is(Buffer.compare(bytes, encodeSegment(segment)), 0, `segment ${k}`);
    const read = decodeSegment(bytes, `segment-${k}.arrow`, RANGE);
    t.deepEqual([...read.symbols], [[k % 2 ? 'BULK' : 'ZERO', { from: 0, to: 1440 }]]);
    t.deepEqual([timeAt(read, 0), timeAt(read, 1439), read.o[7], read.v[1439]], [DAY, DAY + 1439 * 60_000, k + 7, 100 * k + 1439]);
  }
});

test('a big segment is never kept as a template; a small one is, once its shape comes again', (t) => {
  const encoder = new SegmentEncoder();
  const columns = (rows: number) => {
    const bars = new BarColumns(rows);
    for (let i = 0; i < rows; i++) bars.append(DAY + i * 1_000, i, i + 1, i - 1, i, i);
    return new Map([['BIG', bars]]);
  };
  const big = columns(30_000);
  t.true(encoder.encode(big).byteLength > 1024 * 1024);
  for (let k = 0; k < 3; k++) t.is(Buffer.compare(encoder.encode(big), encodeSegment(big)), 0);
  t.is(encoder.heldBytes, 0);
  const small = columns(390);
  encoder.encode(small);
  t.is(encoder.heldBytes, 0, 'a shape met once');
  const bytes = encoder.encode(small);
  t.is(encoder.heldBytes, bytes.byteLength, 'a shape met twice');
});
