import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bar } from '../../model/bar.js';
import { isSessionError } from '../../model/session-error.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { importCsv, type CsvImportOptions } from '../../storage/import/csv-import.js';
import { symbolFromFileName } from '../../storage/import/file-symbol.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const OPEN = Date.UTC(2024, 2, 8, 14, 30); // 09:30 New York
const M = 60_000;
const ALL: [number, number] = [0, Date.UTC(2100, 0, 1)];
const bar = (t: number, o: number, h: number, l: number, c: number, v: number): Bar => ({ t, o, h, l, c, v });

type Case = { file: string; options?: Partial<CsvImportOptions>; symbols: Record<string, number>; check: Array<[string, number, Bar]>; badLine: number; badReason: RegExp };

/** Each vendor layout: the good file imports exactly, its malformed twin is refused naming the line and nothing is written. */
const CASES: Record<string, Case & { bad: string }> = {
  'comma, ISO 8601 with an offset': {
    file: 'AAPL_1m.csv', bad: 'AAPL_bad.csv',
    symbols: { AAPL: 5 }, check: [['AAPL', 0, bar(OPEN, 172.5, 172.55, 172.37, 172.41, 1000)], ['AAPL', 4, bar(OPEN + 4 * M, 172.47, 172.58, 172.43, 172.53, 1444)]],
    badLine: 4, badReason: /high 172.37 is below low 172.55/,
  },
  'semicolon, DD.MM.YYYY and HH:MM columns': {
    file: 'SAP.csv', bad: 'SAP_bad.csv',
    symbols: { SAP: 4 }, check: [['SAP', 1, bar(OPEN + M, 180.01, 180.12, 179.97, 180.07, 1185)]],
    badLine: 3, badReason: /expected 7 columns like the header, got 6/,
  },
  'tab, BOM, CRLF, MM/DD/YYYY and 09:30 AM': {
    file: 'MSFT.tsv', bad: 'MSFT_bad.tsv',
    symbols: { MSFT: 4 }, check: [['MSFT', 3, bar(OPEN + 3 * M, 415.11, 415.25, 415.07, 415.2, 1222)]],
    badLine: 5, badReason: /"03\/08\/2024 13:33 PM" is not a valid date and time/,
  },
  'Stooq <TICKER>,<PER>,<DATE>,<TIME>: YYYYMMDD and HHMMSS, a symbol column': {
    file: 'ibm_stooq.txt', bad: 'ibm_stooq_bad.txt',
    symbols: { 'IBM.US': 3 }, check: [['IBM.US', 2, bar(OPEN + 2 * M, 190.99, 191.04, 190.89, 190.93, 1296)]],
    badLine: 4, badReason: /"20240230 093200" is not a valid date and time/,
  },
  'Polygon aggregates t,o,h,l,c,v with epoch ms': {
    file: 'NVDA_polygon.csv', bad: 'NVDA_polygon_bad.csv',
    symbols: { NVDA: 4 }, check: [['NVDA', 0, bar(OPEN, 875.3, 875.35, 875.17, 875.21, 1000)]],
    badLine: 2, badReason: /\(2024-03-08T14:30:30.000Z\) is not on a 1-minute boundary/,
  },
  'Polygon flat file: gzip, nanosecond window_start, many tickers': {
    file: '2024-03-08.csv.gz', bad: '2024-03-08_bad.csv.gz',
    symbols: { AAPL: 3, AMD: 3, TSLA: 3 }, check: [['AMD', 1, bar(OPEN + M, 210.31, 210.42, 210.27, 210.37, 1185)], ['TSLA', 2, bar(OPEN + 2 * M, 178.78, 178.86, 178.74, 178.81, 1148)]],
    badLine: 5, badReason: /symbol "AMD\?" is not a valid symbol/,
  },
  'Databento OHLCV: ts_event with nanoseconds, a symbol column': {
    file: 'databento-ohlcv-1m.csv', bad: 'databento-ohlcv-1m_bad.csv',
    symbols: { QQQ: 3, SPY: 3 }, check: [['SPY', 1, bar(OPEN + M, 511.61, 511.66, 511.57, 511.61, 1111)]],
    badLine: 5, badReason: /unrecognized time "2024-03-08T14:31:00.000000000Q"/,
  },
  'headerless, epoch seconds, with --columns': {
    file: 'TSLA_noheader.csv', bad: 'TSLA_noheader_bad.csv', options: { columns: 'time,open,high,low,close,volume' },
    symbols: { TSLA: 4 }, check: [['TSLA', 0, bar(OPEN, 178.9, 178.95, 178.77, 178.81, 1000)]],
    badLine: 3, badReason: /close "" is not a number/,
  },
};

async function arrowStore(t: { teardown: (fn: () => Promise<void>) => void }): Promise<ArrowBarStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-formats-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return new ArrowBarStore(dir);
}

for (const [name, { file, bad, options = {}, symbols, check, badLine, badReason }] of Object.entries(CASES)) {
  test(`imports ${name}`, async (t) => {
    const store = new MemoryBarStore();
    const symbol = symbolFromFileName(file);
    const report = await importCsv({ file: path.join(FIXTURES, file), store, ...(symbol ? { symbol } : {}), ...options });
    t.deepEqual(report.symbols, symbols);
    t.is(report.skipped, 0);
    for (const [series, index, expected] of check) t.deepEqual((await store.getBars(series, '1m', ...ALL))[index], expected, `${series} #${index}`);
  });

  test(`refuses a malformed ${name} file, naming the line, writing nothing`, async (t) => {
    const store = new MemoryBarStore();
    const symbol = symbolFromFileName(bad);
    const error = await t.throwsAsync(() => importCsv({ file: path.join(FIXTURES, bad), store, ...(symbol ? { symbol } : {}), ...options }));
    t.true(isSessionError(error, 'BAD_INPUT'), String(error));
    const details = (error as unknown as { details: { bad: Array<{ line: number; reason: string }> } }).details;
    t.is(details.bad.length, 1, JSON.stringify(details.bad));
    t.is(details.bad[0]!.line, badLine);
    t.regex(details.bad[0]!.reason, badReason);
    for (const series of Object.keys(symbols)) t.deepEqual(await store.getBars(series, '1m', ...ALL), [], series);
  });
}

test('imports daily bars (Yahoo Finance layout) at 00:00 UTC of each date, into the Arrow store', async (t) => {
  const store = await arrowStore(t);
  const report = await importCsv({ file: path.join(FIXTURES, 'SPY_1d.csv'), symbol: 'SPY', store, interval: '1d' });
  t.deepEqual(report.symbols, { SPY: 5 });
  const bars = await store.getBars('SPY', '1d', ...ALL);
  t.deepEqual(bars.map((b) => new Date(b.t).toISOString().slice(0, 10)), ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08']);
  t.deepEqual(bars[4], bar(Date.UTC(2024, 2, 8), 515.46, 518.22, 511.13, 511.72, 64938268));

  const error = await t.throwsAsync(() => importCsv({ file: path.join(FIXTURES, 'SPY_1d_bad.csv'), symbol: 'QQQ', store, interval: '1d' }));
  t.regex(error!.message, /line 5: time "2024-03-07 09:30" is not the start of a day/);
  t.deepEqual(await store.getBars('QQQ', '1d', ...ALL), []);

  // Epoch times at New York midnight, as Polygon's daily aggregates give them, land on the same date.
  const epoch = await mkdtemp(path.join(tmpdir(), 'tapedeck-daily-'));
  t.teardown(() => rm(epoch, { recursive: true, force: true }));
  const file = path.join(epoch, 'd.csv');
  await (await import('node:fs/promises')).writeFile(file, `t,o,h,l,c,v\n${Date.UTC(2024, 2, 8, 5)},1,2,0.5,1.5,10\n`);
  await importCsv({ file, symbol: 'DIA', store, interval: '1d' });
  t.deepEqual((await store.getBars('DIA', '1d', ...ALL)).map((b) => b.t), [Date.UTC(2024, 2, 8)]);

  const lowdb = await t.throwsAsync(() => importCsv({ file, symbol: 'DIA', store: new MemoryBarStore(), interval: '1d' }));
  t.true(isSessionError(lowdb, 'INVALID_INTERVAL'));
});

test('a file without a symbol column needs a symbol; a headerless file without --columns gets a hint', async (t) => {
  const store = new MemoryBarStore();
  const nameless = await t.throwsAsync(() => importCsv({ file: path.join(FIXTURES, 'AAPL_1m.csv'), store }));
  t.regex(nameless!.message, /has no symbol column \(symbol, ticker\): pass --symbol/);
  const headerless = await t.throwsAsync(() => importCsv({ file: path.join(FIXTURES, 'TSLA_noheader.csv'), symbol: 'TSLA', store }));
  t.regex(headerless!.message, /line 1: the header has no .* The first row looks like data: .* --columns time,open,high,low,close,volume/);
});

test('--columns maps header names, skips columns by position, and refuses what is not a field', async (t) => {
  const store = new MemoryBarStore();
  const report = await importCsv({ file: path.join(FIXTURES, 'NVDA_polygon.csv'), symbol: 'NVDA', store, columns: 'close=vw' });
  t.is(report.imported, 4);
  t.is((await store.getBars('NVDA', '1m', ...ALL))[0]!.c, 875.26);
  for (const columns of ['time,open,high,low,-,volume', 'time,open,high,low,close,volume,price', 'time,open,open,low,close,volume', 'close=', 'price=Px']) {
    const error = await t.throwsAsync(() => importCsv({ file: path.join(FIXTURES, 'TSLA_noheader.csv'), symbol: 'TSLA', store, columns }));
    t.true(isSessionError(error, 'INVALID_OPTION'), `${columns}: ${String(error)}`);
  }
});

test('the symbol comes from the file name up to the first underscore, without extensions', (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['AAPL.csv', 'AAPL'], ['data/aapl_1m.csv.gz', 'AAPL'], ['BRK.B_2024.csv', 'BRK.B'], ['C:\\bars\\MSFT.TSV', 'MSFT'],
    ['spy 2024.txt', 'SPY'], ['2024-03-08.csv.gz', undefined], ['../etc.csv', 'ETC'], ['_x.csv', undefined],
  ];
  for (const [file, symbol] of cases) t.is(symbolFromFileName(file), symbol, file);
});
