import test from 'ava';
import { decode, encode } from '@msgpack/msgpack';
import { barOf, decodeFrame } from '../../feeds/alpaca/alpaca-messages.js';

const open = Date.UTC(2024, 2, 8, 14, 30);
const bar = { T: 'b', S: 'AAPL', o: 170.5, h: 171, l: 170.25, c: 170.75, v: 12_000 };

test('a binary frame is msgpack: its bars, with their timestamps, equal those of the same frame as JSON', (t) => {
  const binary = Buffer.from(encode([{ ...bar, t: new Date(open) }, { ...bar, T: 'u', t: new Date(open) }]));
  const text = Buffer.from(JSON.stringify([{ ...bar, t: new Date(open).toISOString() }, { ...bar, T: 'u', t: new Date(open).toISOString() }]));
  const fromBinary = decodeFrame(binary, true, decode).map(barOf);
  t.deepEqual(fromBinary, decodeFrame(text, false, decode).map(barOf));
  t.deepEqual(fromBinary, [
    { symbol: 'AAPL', t: open, o: 170.5, h: 171, l: 170.25, c: 170.75, v: 12_000 },
    { symbol: 'AAPL', t: open, o: 170.5, h: 171, l: 170.25, c: 170.75, v: 12_000, updated: true },
  ]);
});

test('a frame that is not a list of typed messages gives none', (t) => {
  t.deepEqual(decodeFrame(Buffer.from(encode({ T: 'b' })), true, decode), []);
  t.deepEqual(decodeFrame(Buffer.from(JSON.stringify([{ S: 'AAPL' }, null, 3])), false, decode), []);
});
