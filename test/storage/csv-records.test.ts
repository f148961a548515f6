import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { CsvRecords, CsvSyntaxError } from '../../storage/import/csv-records.js';
import type { CsvDelimiter } from '../../storage/import/csv-delimiter.js';

/** With `byLine`, lines without a quote come as positions in the text, and are split here. */
function split(text: string, delimiter: CsvDelimiter, cuts: number[] = [], byLine = false): Array<{ fields: string[]; line: number }> {
  const records: Array<{ fields: string[]; line: number }> = [];
  const onRecord = (fields: string[], line: number) => void records.push({ fields, line });
  const onLine = (chunk: string, from: number, to: number, line: number) => void records.push({ fields: chunk.slice(from, to).split(delimiter), line });
  const splitter = new CsvRecords(delimiter, byLine ? { onRecord, onLine } : { onRecord });
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    splitter.push(text.slice(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  splitter.push(text.slice(from));
  splitter.end();
  return records;
}

const field = fc.oneof(
  fc.stringMatching(/^[0-9A-Za-z .:\-+T]{0,8}$/),
  // Fields that need quotes: delimiters, quotes and line breaks inside.
  fc.array(fc.constantFrom('a', '1', ',', ';', '\t', '"', '\n', '\r\n', ' '), { maxLength: 6 }).map((parts) => parts.join('')),
);

/** A record as a writer that quotes only what needs it (or everything, when `always`) writes it. */
function writeRecord(fields: string[], delimiter: string, always: boolean): string {
  return fields.map((value) => (always || /[",;\t\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)).join(delimiter);
}

testProp(
  'any records written as CSV, cut into any chunks, split back into the same fields, each with the line it starts on',
  [
    fc.constantFrom<CsvDelimiter>(',', ';', '\t'),
    // At least two fields a record: a record of one empty field is written as a blank line.
    fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
    fc.boolean(),
    fc.array(fc.nat(400), { maxLength: 6 }),
  ],
  (t, delimiter, records, eol, always, trailingBreak, cuts) => {
    const lines = records.map((fields) => writeRecord(fields, delimiter, always));
    const text = lines.join(eol) + (trailingBreak ? eol : '');
    let line = 1;
    const expected = records.map((fields, k) => {
      const at = line;
      line += lines[k]!.split('\n').length;
      return { fields, line: at };
    });
    t.deepEqual(split(text, delimiter, cuts), expected);
    t.deepEqual(split(text, delimiter, cuts, true), expected);
  },
  { numRuns: 300 },
);

test('a blank line is a record of one empty field; a last line without a line break is a record', (t) => {
  t.deepEqual(split('a,b\r\n\nc,d', ','), [
    { fields: ['a', 'b'], line: 1 },
    { fields: [''], line: 2 },
    { fields: ['c', 'd'], line: 3 },
  ]);
});

test('a quote left open, a quote inside an unquoted field and text after a closing quote are syntax errors naming the line', (t) => {
  for (const [text, words, line] of [
    ['a,b\n"2024-03-08T14:30:00Z,1,1\n', /not closed/, 2],
    ['a,b\nx,1"5\n', /a quote inside field 2/, 2],
    ['a,b\n"x"y,1\n', /after the closing quote of field 1/, 2],
  ] as const) {
    const error = t.throws(() => split(text, ','), { instanceOf: CsvSyntaxError });
    t.regex(error.message, words);
    t.is(error.line, line);
  }
});
