import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Temporal } from 'temporal-polyfill';
import type { Bar } from '../../model/bar.js';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { importCsv } from '../../storage/import/csv-import.js';

const M = 60_000;
const ALL: [number, number] = [0, Date.UTC(2100, 0, 1)];
const ZONE = 'America/New_York';
const SYMBOLS = ['AAPL', 'MSFT', 'BRK.B'];

let dir = '';
test.before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-layouts-'));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

const local = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(ZONE);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const clock12 = (hour: number) => `${(hour % 12) || 12}`;

/** Every way a supported file can write a bar's time: one column, or a date column and a time column. */
const TIME_STYLES: Array<{ name: string; header: string[]; format: (ms: number) => string[] }> = [
  { name: 'ISO Z', header: ['timestamp'], format: (ms) => [new Date(ms).toISOString()] },
  { name: 'ISO offset', header: ['datetime'], format: (ms) => [local(ms).toString({ timeZoneName: 'never', smallestUnit: 'second' })] },
  { name: 'ISO local', header: ['Timestamp'], format: (ms) => [local(ms).toPlainDateTime().toString({ smallestUnit: 'minute' }).replace('T', ' ')] },
  { name: 'epoch s', header: ['t'], format: (ms) => [String(ms / 1000)] },
  { name: 'epoch ms', header: ['time'], format: (ms) => [String(ms)] },
  { name: 'epoch µs', header: ['ts'], format: (ms) => [`${ms}000`] },
  { name: 'epoch ns', header: ['window_start'], format: (ms) => [`${ms}000000`] },
  { name: 'ts_event ns ISO', header: ['ts_event'], format: (ms) => [new Date(ms).toISOString().replace('Z', '000000Z')] },
  { name: 'YYYY-MM-DD + HH:MM:SS', header: ['Date', 'Time'], format: (ms) => { const z = local(ms); return [z.toPlainDate().toString(), `${pad(z.hour)}:${pad(z.minute)}:00`]; } },
  { name: 'MM/DD/YYYY + h:mm AM', header: ['date', 'time'], format: (ms) => { const z = local(ms); return [`${pad(z.month)}/${pad(z.day)}/${z.year}`, `${clock12(z.hour)}:${pad(z.minute)} ${z.hour < 12 ? 'AM' : 'PM'}`]; } },
  { name: 'YYYYMMDD + HHMMSS', header: ['<DATE>', '<TIME>'], format: (ms) => { const z = local(ms); return [`${z.year}${pad(z.month)}${pad(z.day)}`, `${pad(z.hour)}${pad(z.minute)}00`]; } },
  { name: 'DD.MM.YYYY + HH:MM', header: ['Day', 'Time'], format: (ms) => { const z = local(ms); return [`${pad(z.day)}.${pad(z.month)}.${z.year}`, `${pad(z.hour)}:${pad(z.minute)}`]; } },
];
const NAME_STYLES: Array<Record<'open' | 'high' | 'low' | 'close' | 'volume' | 'symbol', string>> = [
  { open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume', symbol: 'symbol' },
  { open: 'Open', high: 'High', low: 'Low', close: 'Close', volume: 'Volume', symbol: 'Ticker' },
  { open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v', symbol: 'ticker' },
  { open: '<OPEN>', high: '<HIGH>', low: '<LOW>', close: '<CLOSE>', volume: '<VOL>', symbol: '<TICKER>' },
];

const priceArb = fc.integer({ min: 1, max: 10_000_000 }).map((cents) => cents / 100);
const barArb = fc.record({ minute: fc.integer({ min: 0, max: 60 * 24 * 45 }), symbol: fc.constantFrom(...SYMBOLS), a: priceArb, b: priceArb, o: priceArb, c: priceArb, v: fc.integer({ min: 0, max: 1e9 }) });
const layoutArb = fc.record({
  time: fc.nat(TIME_STYLES.length - 1),
  names: fc.nat(NAME_STYLES.length - 1),
  delimiter: fc.constantFrom(',', ';', '\t'),
  order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  extra: fc.boolean(),
  headerless: fc.boolean(),
  symbolColumn: fc.boolean(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  gzip: fc.boolean(),
});

testProp(
  'bars written as CSV in any supported layout import back equal',
  [fc.uniqueArray(barArb, { minLength: 1, maxLength: 40, selector: (bar) => `${bar.symbol} ${bar.minute}` }), layoutArb],
  async (t, generated, layout) => {
    // From a Friday before the March clock change, across it and a month boundary.
    const start = Date.UTC(2024, 2, 1);
    const bars = layout.symbolColumn ? generated : generated.map((bar) => ({ ...bar, symbol: 'AAPL' })).filter((bar, i, all) => all.findIndex((other) => other.minute === bar.minute) === i);
    const expected = new Map<string, Bar[]>();
    for (const { minute, symbol, a, b, o, c, v } of bars) {
      const series = expected.get(symbol) ?? [];
      expected.set(symbol, series);
      series.push({ t: start + minute * M, o, h: Math.max(a, b), l: Math.min(a, b), c, v });
    }

    const style = TIME_STYLES[layout.time]!;
    const names = NAME_STYLES[layout.names]!;
    const fields = [
      ...style.header.map((header, k) => ({ header, field: style.header.length === 2 ? (k === 0 ? 'date' : 'time') : 'time', value: (bar: Bar, _symbol: string) => style.format(bar.t)[k]! })),
      { header: names.open, field: 'open', value: (bar: Bar) => String(bar.o) },
      { header: names.high, field: 'high', value: (bar: Bar) => String(bar.h) },
      { header: names.low, field: 'low', value: (bar: Bar) => String(bar.l) },
      { header: names.close, field: 'close', value: (bar: Bar) => String(bar.c) },
      { header: names.volume, field: 'volume', value: (bar: Bar) => String(bar.v) },
      ...(layout.symbolColumn ? [{ header: names.symbol, field: 'symbol', value: (_bar: Bar, symbol: string) => symbol }] : []),
      ...(layout.extra ? [{ header: 'vwap', field: '-', value: () => '0' }] : []),
    ];
    // Columns in any order: sort by the generated keys, stable.
    const columns = fields.map((field, i) => ({ field, key: layout.order[i] ?? 0 })).sort((x, y) => x.key - y.key).map(({ field }) => field);
    const newline = layout.crlf ? '\r\n' : '\n';
    const lines = [...expected].flatMap(([symbol, series]) => series.map((bar) => columns.map((column) => column.value(bar, symbol)).join(layout.delimiter)));
    const header = layout.headerless ? [] : [columns.map((column) => column.header).join(layout.delimiter)];
    const text = `${layout.bom ? '\ufeff' : ''}${[...header, ...lines].join(newline)}${newline}`;
    const file = path.join(dir, `bars-${Math.random().toString(36).slice(2)}.csv${layout.gzip ? '.gz' : ''}`);
    await writeFile(file, layout.gzip ? gzipSync(text) : text);

    const store = new MemoryBarStore();
    const report = await importCsv({
      file,
      store,
      timeZone: ZONE,
      ...(layout.symbolColumn ? {} : { symbol: 'AAPL' }),
      ...(layout.headerless ? { columns: columns.map((column) => column.field).join(',') } : {}),
    });
    await rm(file);
    t.is(report.skipped, 0, JSON.stringify(report.bad));
    t.deepEqual(Object.keys(report.symbols).sort(), [...expected.keys()].sort());
    for (const [symbol, series] of expected) t.deepEqual(await store.getBars(symbol, '1m', ...ALL), series.sort((x, y) => x.t - y.t), symbol);
  },
  { numRuns: 60 },
);
