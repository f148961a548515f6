import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Temporal } from 'temporal-polyfill';
import type { Bar, Interval } from '../../model/bar.js';
import { isSessionError } from '../../model/session-error.js';
import type { BarStore } from '../../model/bar-store.js';
import { importCsv } from '../../storage/import/csv-import.js';
import { parseCsvTime } from '../../storage/import/csv-time.js';
import { LocalTimeZone } from '../../storage/import/local-time.js';
import { LowdbBarStore } from '../../storage/bars/lowdb-bar-store.js';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';

const M = 60_000;
const ALL: [number, number] = [0, Date.UTC(2100, 0, 1)];
const bar = (t: number, o: number, h: number, l: number, c: number, v: number): Bar => ({ t, o, h, l, c, v });

type Teardown = { teardown: (fn: () => Promise<void>) => void };

/** A new folder under the system's temp folder, removed at the test's end. */
async function tempDir(t: Teardown, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function csvFile(t: Teardown, content: string): Promise<string> {
  const dir = await tempDir(t, 'tapedeck-csv-');
  const file = path.join(dir, 'bars.csv');
  await writeFile(file, content);
  return file;
}

/** A store that remembers each putBars batch, to see how an import writes. */
class RecordingStore extends MemoryBarStore {
  readonly batches: Array<{ interval: Interval; times: number[] }> = [];
  override async putBars(symbol: string, interval: Interval, bars: Bar[]): Promise<void> {
    this.batches.push({ interval, times: bars.map((b) => b.t) });
    return super.putBars(symbol, interval, bars);
  }
}

test('imports ISO times with Z and reports what it did', async (t) => {
  const file = await csvFile(t, 'timestamp,open,high,low,close,volume\n2024-03-08T14:30:00Z,10,11,9,10.5,100\n2024-03-08T14:31:00Z,10.5,12,10,11,250.5\n');
  const store = new MemoryBarStore();
  const report = await importCsv({ file, symbol: 'AAPL', store });
  const t0 = Date.UTC(2024, 2, 8, 14, 30);
  t.deepEqual(await store.getBars('AAPL', '1m', ...ALL), [bar(t0, 10, 11, 9, 10.5, 100), bar(t0 + M, 10.5, 12, 10, 11, 250.5)]);
  t.deepEqual(report, { symbols: { AAPL: 2 }, rows: 2, imported: 2, skipped: 0, duplicates: 0, bad: [], first: t0, last: t0 + M });
});

test('files read one after another each read their times in their own time zone and on their own dates', async (t) => {
  const header = 'timestamp,open,high,low,close,volume\n';
  const imports: Array<[string, string, string, number[]]> = [
    ['New York, UTC times', 'America/New_York', '2024-03-08T14:30:00Z\n2024-03-08T14:31:00Z', [Date.UTC(2024, 2, 8, 14, 30), Date.UTC(2024, 2, 8, 14, 31)]],
    ['Tokyo, local times', 'Asia/Tokyo', '2024-03-08 09:30:00\n2024-03-08T14:32:00Z', [Date.UTC(2024, 2, 8, 0, 30), Date.UTC(2024, 2, 8, 14, 32)]],
    ['New York, local times', 'America/New_York', '2024-03-08 09:33:00\n2024-03-08T14:34:00Z', [Date.UTC(2024, 2, 8, 14, 33), Date.UTC(2024, 2, 8, 14, 34)]],
    ['New York, the next UTC day', 'America/New_York', '2024-03-09T14:30:00Z\n2024-03-09 09:31:00', [Date.UTC(2024, 2, 9, 14, 30), Date.UTC(2024, 2, 9, 14, 31)]],
    ['New York, the day before', 'America/New_York', '2024-03-08T15:00:00.000Z\n2024-03-08T15:01:00.000Z', [Date.UTC(2024, 2, 8, 15), Date.UTC(2024, 2, 8, 15, 1)]],
  ];
  for (const [what, timeZone, times, expected] of imports) {
    const file = await csvFile(t, header + times.split('\n').map((time) => `${time},1,1,1,1,1\n`).join(''));
    const store = new MemoryBarStore();
    await importCsv({ file, symbol: 'AAPL', store, timeZone });
    t.deepEqual((await store.getBars('AAPL', '1m', ...ALL)).map((one) => one.t), expected, what);
  }
});

test('finds columns by name in any order and case, with aliases and extra columns', async (t) => {
  const t0 = Date.UTC(2024, 2, 8, 14, 30);
  const headers: Array<[string, string]> = [
    ['Symbol,Volume,Close,Low,High,Open,Timestamp,VWAP', 'AAPL,5,4,1,3,2,2024-03-08T14:30:00Z,2.5'],
    ['DateTime,O,H,L,C,Vol', '2024-03-08T14:30:00Z,2,3,1,4,5'],
    ['time,open,high,low,close,v', '2024-03-08T14:30:00Z,2,3,1,4,5'],
    ['<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>', '2024-03-08,09:30,2,3,1,4,5'],
    ['Date,Open,High,Low,Close,Volume', '2024-03-08 09:30:00,2,3,1,4,5'],
  ];
  for (const [header, row] of headers) {
    const store = new MemoryBarStore();
    await importCsv({ file: await csvFile(t, `${header}\n${row}\n`), symbol: 'AAPL', store });
    t.deepEqual(await store.getBars('AAPL', '1m', ...ALL), [bar(t0, 2, 3, 1, 4, 5)], header);
  }
});

test('a header without the needed columns is BAD_INPUT naming what is missing', async (t) => {
  const file = await csvFile(t, 'when,open,hi,low,close\n2024-03-08T14:30:00Z,1,1,1,1\n');
  const error = await t.throwsAsync(() => importCsv({ file, symbol: 'AAPL', store: new MemoryBarStore() }));
  t.true(isSessionError(error, 'BAD_INPUT'));
  t.regex(error!.message, /no a time column.*high \(high\/h\), volume \(volume\/vol\/v\)/);
  t.true(error!.message.includes(file));
});

test('reads every accepted time format', async (t) => {
  const utc = Date.UTC(2024, 2, 8, 14, 30);
  const summer = Date.UTC(2024, 6, 8, 13, 30); // 09:30 in New York is 13:30Z in July
  const cases: Array<[string, number]> = [
    ['2024-03-08T14:30:00Z', utc],
    ['2024-03-08T14:30Z', utc],
    ['2024-03-08 14:30:00.000z', utc],
    ['2024-03-08T09:30:00-05:00', utc],
    ['2024-03-08T09:30:00-0500', utc],
    ['2024-03-08T09:30-05', utc],
    ['2024-03-08T20:00:00+05:30', utc],
    ['1709908200', utc],
    ['1709908200000', utc],
    ['2024-03-08 09:30', utc],
    ['2024-03-08T09:30:00', utc],
    [' 2024-07-08 09:30:00 ', summer],
    ['2024-03-08T14:30:00.123456789Z', utc + 123],
    ['2024-03-08 09:30:00 -05:00', utc],
    ['2024/03/08 09:30', utc],
    ['2024.03.08 09:30', utc],
    ['03/08/2024 09:30', utc],
    ['3/8/2024 9:30 AM', utc],
    ['03/08/2024 02:30:00 pm', utc + 5 * 3_600_000],
    ['03/08/2024 12:00 AM', Date.UTC(2024, 2, 8, 5)],
    ['03/08/2024 12:30 PM', Date.UTC(2024, 2, 8, 17, 30)],
    ['08.03.2024 09:30', utc],
    ['20240308 09:30:00', utc],
    ['20240308  09:30:00', utc],
    ['20240308', Date.UTC(2024, 2, 8, 5)],
    ['20240308 093000', utc],
    ['20240308 0930', utc],
    ['2024-03-08', Date.UTC(2024, 2, 8, 5)],
    ['170990820', 170_990_820_000],
    ['1709908200000000', utc],
    ['1709908200000000000', utc],
    ['1709908200123456789', utc + 123],
  ];
  const zone = new LocalTimeZone('America/New_York');
  for (const [text, expected] of cases) t.is(parseCsvTime(text, zone), expected, text);
  for (const text of ['13/08/2024 09:30', '2024-02-30 09:30', '2024-03-08 24:00', '03/08/2024 13:30 PM', '03/08/2024 00:30 AM', '2024-03-08 9:3', '20240308 09300', '20240308 093', '2024-03-08T09:30:00+05:', '2024-03-08T09:30:00 EST', '03/08/24 09:30', '2024-03-08 09:30 XM', '12345678901234567890', 'yesterday', '']) {
    t.is(typeof parseCsvTime(text, zone), 'string', `${text} is refused`);
  }
  // --epoch-unit overrides the length rule, 8 digits included.
  t.is(parseCsvTime('1709908200000', zone, 'us'), 1_709_908_200);
  t.is(parseCsvTime('20240308', zone, 's'), 20_240_308_000);
  t.is(parseCsvTime('1709908200', zone, 'ms'), 1_709_908_200);
});

const zones = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo'];
const zoneCache = new Map(zones.map((zone) => [zone, new LocalTimeZone(zone)]));
// Days a clock changes on, where a per-day offset cache is most likely to go wrong.
const transitionDays = ['2024-03-10', '2024-11-03', '2024-03-31', '2024-10-27', '2024-04-07', '2024-10-06', '2018-11-04', '2019-02-16'];
const localDateArb = fc.oneof(
  fc.constantFrom(...transitionDays),
  fc.integer({ min: 0, max: 365 * 12 }).map((d) => new Date(Date.UTC(2015, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
);

testProp(
  'exchange-local times resolve as Temporal does, DST days included',
  [fc.constantFrom(...zones), localDateArb, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })],
  (t, zone, date, hour, minute) => {
    const local = `${date} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const expected = Temporal.PlainDateTime.from(local.replace(' ', 'T')).toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
    t.is(parseCsvTime(local, zoneCache.get(zone)!), expected, `${local} in ${zone}`);
  },
  { numRuns: 500 },
);

test('bad rows are reported with line numbers and reasons, and nothing is imported', async (t) => {
  const file = await csvFile(
    t,
    [
      'timestamp,open,high,low,close,volume', // 1
      '2024-03-08T14:30:00Z,10,11,9,10,100', // 2 good
      'soon,10,11,9,10,100', // 3
      '', // 4 blank: skipped, still counted as a line
      '2024-03-08T14:32:00Z,10,11,9,abc,100', // 5
      '2024-03-08T14:33:00Z,10,11,9,10,-1', // 6
      '2024-03-08T14:34:00Z,10,8,9,10,100', // 7
      '2024-03-08T14:35:30Z,10,11,9,10,100', // 8
      '2024-03-08T14:36:00Z,10,11,9,10', // 9
      '"2024-03-08T14:37:00Z","10","1\n1","9",10,100', // 10-11: a quoted field with a newline
      '2024-03-08T14:38:00Z,10,11,9,,100', // 12
      '2024-03-08T14:39:00Z,10,11,9,10,100', // 13 good
      '2024-03-08T14:40:00Z,10,11,9,10, ', // 14
    ].join('\r\n'),
  );
  const store = new MemoryBarStore();
  const expected = [
    { line: 3, reason: /unrecognized time "soon"/ },
    { line: 5, reason: /close "abc" is not a number/ },
    { line: 6, reason: /volume -1 is negative/ },
    { line: 7, reason: /high 8 is below low 9/ },
    { line: 8, reason: /not on a 1-minute boundary/ },
    { line: 9, reason: /expected 6 columns like the header, got 5/ },
    { line: 10, reason: /high "1\\n1" is not a number/ },
    { line: 12, reason: /close "" is not a number/ },
    { line: 14, reason: /volume " " is not a number/ },
  ];
  const error = await t.throwsAsync(() => importCsv({ file, symbol: 'AAPL', store }));
  t.true(isSessionError(error, 'BAD_INPUT'));
  t.true(error!.message.startsWith(`9 bad rows in ${file}: line 3: unrecognized time`), error!.message);
  t.regex(error!.message, /and 4 more\. Nothing was imported\. Fix them or pass --skip-bad\.$/);
  const bad = (error as unknown as { details: { bad: Array<{ line: number; reason: string }> } }).details.bad;
  t.deepEqual(bad.map((b) => b.line), expected.map((e) => e.line));
  bad.forEach((b, i) => t.regex(b.reason, expected[i]!.reason));
  t.deepEqual(await store.symbols(), [], 'nothing was written');

  const report = await importCsv({ file, symbol: 'AAPL', store, skipBad: true });
  t.is(report.rows, 11);
  t.is(report.imported, 2);
  t.is(report.skipped, 9);
  t.deepEqual(report.bad.map((b) => b.line), expected.map((e) => e.line));
  t.deepEqual((await store.getBars('AAPL', '1m', ...ALL)).map((b) => b.t), [Date.UTC(2024, 2, 8, 14, 30), Date.UTC(2024, 2, 8, 14, 39)]);
});

test('only the first 100 bad rows are listed, all are counted', async (t) => {
  const rows = Array.from({ length: 150 }, (_, i) => `bad-${i},1,1,1,1,1`);
  const file = await csvFile(t, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n2024-03-08T14:30:00Z,1,1,1,1,1\n`);
  const error = await t.throwsAsync(() => importCsv({ file, symbol: 'AAPL', store: new MemoryBarStore() }));
  t.true(error!.message.startsWith('150 bad rows'));
  const report = await importCsv({ file, symbol: 'AAPL', store: new MemoryBarStore(), skipBad: true });
  t.is(report.bad.length, 100);
  t.is(report.bad.at(-1)!.line, 101);
  t.is(report.skipped, 150);
  t.is(report.imported, 1);
});

test('a repeated time keeps the row further down; order in the file does not matter', async (t) => {
  const file = await csvFile(t, 'timestamp,open,high,low,close,volume\n2024-03-08T14:32:00Z,3,3,3,3,3\n2024-03-08T14:30:00Z,1,1,1,1,1\n2024-03-08T14:32:00Z,4,4,4,4,4\n2024-03-08T14:31:00Z,2,2,2,2,2\n');
  const store = new MemoryBarStore();
  const report = await importCsv({ file, symbol: 'AAPL', store });
  t.deepEqual((await store.getBars('AAPL', '1m', ...ALL)).map((b) => b.c), [1, 2, 4]);
  t.like(report, { rows: 4, imported: 3, duplicates: 1, first: Date.UTC(2024, 2, 8, 14, 30), last: Date.UTC(2024, 2, 8, 14, 32) });

  const newestFirst = await csvFile(t, 'timestamp,open,high,low,close,volume\n1709908320,3,3,3,3,3\n1709908260,2,2,2,2,2\n1709908200,1,1,1,1,1\n');
  const reversed = new MemoryBarStore();
  await importCsv({ file: newestFirst, symbol: 'AAPL', store: reversed });
  t.deepEqual((await reversed.getBars('AAPL', '1m', ...ALL)).map((b) => b.c), [1, 2, 3]);
});

test('bars go to the store one month per putBars, and a re-import changes nothing', async (t) => {
  const rows = [Date.UTC(2024, 0, 31, 23, 59), Date.UTC(2024, 1, 1), Date.UTC(2024, 1, 29, 23, 59), Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 1, 0, 1)];
  const file = await csvFile(t, `timestamp,open,high,low,close,volume\n${rows.map((ms, i) => `${ms},${i},${i},${i},${i},${i}`).join('\n')}\n`);
  const recording = new RecordingStore();
  await importCsv({ file, symbol: 'AAPL', store: recording });
  t.deepEqual(recording.batches, [
    { interval: '1m', times: [rows[0]!] },
    { interval: '1m', times: [rows[1]!, rows[2]!] },
    { interval: '1m', times: [rows[3]!, rows[4]!] },
  ]);

  const dir = path.dirname(file);
  const lowdb = new LowdbBarStore(path.join(dir, 'store'));
  await importCsv({ file, symbol: 'AAPL', store: lowdb });
  const snapshot = await Promise.all(['2024-01', '2024-02', '2024-03'].map((month) => readFile(path.join(dir, 'store', 'AAPL', '1m', `${month}.json`), 'utf8')));
  await importCsv({ file, symbol: 'AAPL', store: lowdb });
  const again = await Promise.all(['2024-01', '2024-02', '2024-03'].map((month) => readFile(path.join(dir, 'store', 'AAPL', '1m', `${month}.json`), 'utf8')));
  t.deepEqual(again, snapshot);
  t.deepEqual(await lowdb.getBars('AAPL', '1m', ...ALL), await recording.getBars('AAPL', '1m', ...ALL));
});

test('with a longer interval, times must fall on its boundaries', async (t) => {
  const file = await csvFile(t, 'timestamp,open,high,low,close,volume\n2024-03-08T14:30:00Z,1,1,1,1,1\n2024-03-08T14:33:00Z,1,1,1,1,1\n2024-03-08T14:35:00Z,1,1,1,1,1\n');
  const store = new MemoryBarStore();
  const report = await importCsv({ file, symbol: 'AAPL', store, interval: '5m', skipBad: true });
  t.deepEqual(report.bad, [{ line: 3, reason: 'time "2024-03-08T14:33:00Z" (2024-03-08T14:33:00.000Z) is not on a 5-minute boundary' }]);
  t.is((await store.getBars('AAPL', '5m', ...ALL)).length, 2);
  t.deepEqual(await store.getBars('AAPL', '1m', ...ALL), []);
});

test('progress ends at the whole file', async (t) => {
  const rows = Array.from({ length: 120_000 }, (_, i) => `${1709908200 + i * 60},1,1,1,1,1`);
  const content = `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`;
  const file = await csvFile(t, content);
  const seen: Array<{ rows: number; bytes: number; totalBytes: number }> = [];
  const report = await importCsv({ file, symbol: 'AAPL', store: new MemoryBarStore(), onProgress: (p) => seen.push(p) });
  t.is(report.imported, 120_000);
  t.deepEqual(seen.map((p) => p.rows), [50_000, 100_000, 120_000], 'every 50,000 rows, and at the end');
  t.deepEqual(seen.at(-1), { rows: 120_000, bytes: Buffer.byteLength(content), totalBytes: Buffer.byteLength(content) });
  t.true(seen.every((p, i) => i === 0 || (p.rows > seen[i - 1]!.rows && p.bytes >= seen[i - 1]!.bytes)));
});

test('refuses a bad symbol, interval or time zone, a missing file and an empty one', async (t) => {
  const store = new MemoryBarStore();
  const file = await csvFile(t, 'timestamp,open,high,low,close,volume\n');
  const cases: Array<[Parameters<typeof importCsv>[0], string, RegExp]> = [
    [{ file, symbol: '../etc', store }, 'INVALID_SYMBOL', /Invalid symbol/],
    [{ file, symbol: 'AAPL', store, interval: '2m' as Interval }, 'INVALID_INTERVAL', /2m/],
    [{ file, symbol: 'AAPL', store, timeZone: 'Mars/Olympus' }, 'INVALID_OPTION', /Mars\/Olympus/],
    [{ file: `${file}.missing`, symbol: 'AAPL', store }, 'BAD_INPUT', /Cannot read .*missing/],
    [{ file: await csvFile(t, '\n\n'), symbol: 'AAPL', store }, 'BAD_INPUT', /is empty/],
    [{ file: await csvFile(t, 'timestamp,open,high,low,close,volume\n"2024-03-08T14:30:00Z,1,1,1,1,1\n'), symbol: 'AAPL', store }, 'BAD_INPUT', /cannot be parsed as CSV/],
  ];
  for (const [options, code, message] of cases) {
    const error = await t.throwsAsync(() => importCsv(options));
    t.true(isSessionError(error, code as 'BAD_INPUT'), `${code}: ${String(error)}`);
    t.regex(error!.message, message);
  }
  t.deepEqual(await importCsv({ file, symbol: 'AAPL', store }), { rows: 0, imported: 0, skipped: 0, duplicates: 0, bad: [], symbols: {} });
});

const TIME_FORMATS: Array<(ms: number) => string> = [
  (ms) => new Date(ms).toISOString(),
  (ms) => String(ms),
  (ms) => String(ms / 1000),
  (ms) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO('America/New_York').toPlainDateTime().toString(),
  (ms) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO('Asia/Tokyo').toString({ timeZoneName: 'never' }),
];

testProp(
  'any file of good rows imports as a last-row-wins map of its bars',
  [
    fc.array(
      fc.record({
        minute: fc.integer({ min: 0, max: 60 * 24 * 70 }),
        format: fc.nat(TIME_FORMATS.length - 1),
        values: fc.array(fc.integer({ min: 0, max: 1_000_000 }).map((cents) => cents / 100), { minLength: 5, maxLength: 5 }),
      }),
      { maxLength: 60 },
    ),
  ],
  async (t, rows) => {
    // Minutes over 70 days from mid-February: both US clock changes and three month boundaries.
    const start = Date.UTC(2024, 1, 15);
    const model = new Map<number, Bar>();
    const lines = rows.map(({ minute, format, values }) => {
      const [o, a, b, c, v] = values as [number, number, number, number, number];
      const t0 = start + minute * M;
      model.set(t0, { t: t0, o, h: Math.max(a, b), l: Math.min(a, b), c, v });
      return `${TIME_FORMATS[format]!(t0)},${o},${Math.max(a, b)},${Math.min(a, b)},${c},${v}`;
    });
    const file = await csvFile(t, `Timestamp,Open,High,Low,Close,Volume\n${lines.join('\n')}`);
    const store: BarStore = new MemoryBarStore();
    const report = await importCsv({ file, symbol: 'AAPL', store });
    t.deepEqual(await store.getBars('AAPL', '1m', ...ALL), [...model.values()].sort((x, y) => x.t - y.t));
    t.is(report.imported, model.size);
    t.is(report.duplicates, rows.length - model.size);
  },
  { numRuns: 40 },
);

test('a month that cannot be written after others were is IMPORT_INCOMPLETE, saying exactly which months landed', async (t) => {
  const file = await csvFile(t, 'timestamp,open,high,low,close,volume\n2024-02-29T14:30:00Z,1,1,1,1,1\n2024-02-29T14:31:00Z,1,1,1,1,1\n2024-03-08T14:30:00Z,2,2,2,2,2\n2024-04-01T14:30:00Z,3,3,3,3,3\n');
  const dir = await tempDir(t, 'tapedeck-csv-store-');
  const store = new LowdbBarStore(dir);
  await mkdir(path.join(dir, 'AAPL', '1m'), { recursive: true });
  await writeFile(path.join(dir, 'AAPL', '1m', '2024-03.json'), '{"truncated');

  const error = await t.throwsAsync(() => importCsv({ file, symbol: 'AAPL', store }));
  t.true(isSessionError(error, 'IMPORT_INCOMPLETE'), String(error));
  t.regex(error!.message, /stopped at 2024-03: Bar file .*2024-03\.json is corrupt.* Written: 2024-02 \(2 bars\)\. Not written: 2024-03, 2024-04\./);
  t.deepEqual((error as { details?: unknown }).details, { file, written: [{ month: '2024-02', bars: 2 }], notWritten: ['2024-03', '2024-04'] });
  t.is((await store.getBars('AAPL', '1m', Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1))).length, 2, 'February landed');
  t.deepEqual(await store.getBars('AAPL', '1m', Date.UTC(2024, 3, 1), Date.UTC(2024, 4, 1)), [], 'April did not');

  // The first month failing: nothing was written, and the cause is thrown as it is.
  const later = await csvFile(t, 'timestamp,open,high,low,close,volume\n2024-03-08T14:30:00Z,2,2,2,2,2\n2024-04-01T14:30:00Z,3,3,3,3,3\n');
  const first = await t.throwsAsync(() => importCsv({ file: later, symbol: 'AAPL', store }));
  t.true(isSessionError(first, 'CORRUPT_FILE'), String(first));
  t.deepEqual(await store.months('AAPL', '1m'), ['2024-02', '2024-03']);
});

test('on the Arrow store a file is one write: a day that cannot be written leaves the others written, and IMPORT_INCOMPLETE names its month', async (t) => {
  const file = await csvFile(t, 'timestamp,open,high,low,close,volume\n2024-02-29T14:30:00Z,1,1,1,1,1\n2024-03-07T14:30:00Z,2,2,2,2,2\n2024-03-08T14:30:00Z,2,2,2,2,2\n2024-04-01T14:30:00Z,3,3,3,3,3\n');
  const dir = await tempDir(t, 'tapedeck-csv-arrow-');
  const store = new ArrowBarStore(dir);
  await mkdir(path.join(dir, '1m', '2024-03-08'), { recursive: true });
  await writeFile(path.join(dir, '1m', '2024-03-08', '00000001.arrow'), 'not arrow');

  const error = await t.throwsAsync(() => importCsv({ file, symbol: 'AAPL', store }));
  t.true(isSessionError(error, 'IMPORT_INCOMPLETE'), String(error));
  t.regex(error!.message, /stopped at 2024-03: Bar file .*00000001\.arrow is corrupt.* Written: 2024-02 \(1 bars\), 2024-04 \(1 bars\)\. Not written: 2024-03\./);
  t.deepEqual((error as { details?: unknown }).details, { file, written: [{ month: '2024-02', bars: 1 }, { month: '2024-04', bars: 1 }], notWritten: ['2024-03'] });
  t.deepEqual((await store.getBars('AAPL', '1m', Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 8))).map((bar) => bar.o), [1, 2], 'February and 7 March landed');
  t.deepEqual((await store.getBars('AAPL', '1m', Date.UTC(2024, 3, 1), Date.UTC(2024, 4, 1))).map((bar) => bar.o), [3], 'April landed');
  t.is((await store.catalog()).series['AAPL']?.['1m']?.bars, 3, 'the catalog counts what landed');

  // Only the bad day to write: nothing landed, and the cause is thrown as it is.
  const later = await csvFile(t, 'timestamp,open,high,low,close,volume\n2024-03-08T14:31:00Z,2,2,2,2,2\n');
  const first = await t.throwsAsync(() => importCsv({ file: later, symbol: 'AAPL', store }));
  t.true(isSessionError(first, 'CORRUPT_FILE'), String(first));
});

test('a file over 1 MiB, streamed in chunks, reads as the same rows in a small file read whole: bars, progress, line numbers', async (t) => {
  const t0 = Date.UTC(2024, 2, 8, 14, 30);
  const line = (i: number) => `${new Date(t0 + i * M).toISOString()},${10 + (i % 7) / 4},${12 + (i % 5) / 8},${9 - (i % 3) / 16},${11 + (i % 11) / 32},${100 + i}`;
  const header = '\uFEFFtimestamp,open,high,low,close,volume\r\n';
  const rows = 30_000;
  const big = Array.from({ length: rows }, (_, i) => line(i)).join('\r\n');
  t.true(Buffer.byteLength(header + big) > 1 << 20);
  const small = Array.from({ length: 50 }, (_, i) => line(rows - 50 + i)).join('\r\n');
  const imported = async (content: string) => {
    const store = new MemoryBarStore();
    const progress: number[] = [];
    const report = await importCsv({ file: await csvFile(t, content), symbol: 'AAPL', store, onProgress: ({ rows: read, bytes, totalBytes }) => progress.push(read, bytes === totalBytes ? 1 : 0) });
    return { report, bars: await store.getBars('AAPL', '1m', ...ALL), last: progress.slice(-2) };
  };
  const whole = await imported(header + big);
  t.is(whole.report.imported, rows);
  t.deepEqual(whole.last, [rows, 1]);
  const tail = await imported(header + small);
  t.deepEqual(whole.bars.slice(rows - 50), tail.bars);
  t.deepEqual(tail.last, [50, 1]);

  // A bad row near the end of each: the same reason, on the line it is on in each file.
  // Header on line 1, data rows from line 2: the bad row after `count` rows is on line count + 2.
  const broken = (content: string, count: number) => ({ content: `${content}\r\n2024-03-09T14:30:00Z,1,2,3,1,1\r\n${line(rows + 5000)}`, bad: count + 2 });
  for (const { content, bad } of [broken(header + big, rows), broken(header + small, 50)]) {
    const error = await t.throwsAsync(importCsv({ file: await csvFile(t, content), symbol: 'AAPL', store: new MemoryBarStore() }));
    t.true(isSessionError(error, 'BAD_INPUT'));
    t.deepEqual((error as unknown as { details: { bad: unknown } }).details.bad, [{ line: bad, reason: 'high 2 is below low 3' }]);
  }
});
