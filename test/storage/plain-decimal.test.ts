import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { plainDecimal } from '../../storage/import/plain-decimal.js';

/** Read inside a line, as the importer reads a field: text around it must not count. */
function readAlone(text: string): number {
  const line = `x,${text},y`;
  return plainDecimal(line, 2, 2 + text.length);
}

testProp(
  'a plain decimal of up to 15 digits reads as exactly what Number() makes of it',
  [fc.stringMatching(/^[0-9]{0,9}$/), fc.option(fc.stringMatching(/^[0-9]{0,9}$/), { nil: undefined })],
  (t, whole, fraction) => {
    const text = fraction === undefined ? whole : `${whole}.${fraction}`;
    const digits = whole.length + (fraction?.length ?? 0);
    fc.pre(digits > 0 && digits <= 15);
    t.is(readAlone(text), Number(text));
  },
  { numRuns: 2000 },
);

test('prices as vendors write them read as Number() reads them', (t) => {
  for (const text of ['0', '7', '0.1', '0.3', '1.005', '123.45', '99999.99', '4503599627370495', '.5', '5.', '007.10', '0.000000000000001']) {
    if (text.replace('.', '').length <= 15) t.is(readAlone(text), Number(text), text);
  }
});

test('anything but a plain decimal of at most 15 digits is NaN, for Number() to read', (t) => {
  for (const text of ['', '.', '-1', '+1', '1e5', ' 1', '1 ', '1.2.3', '0x10', '1,5', '1234567890123456', 'NaN', 'Infinity']) t.true(Number.isNaN(readAlone(text)), text);
});
