import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isSessionError } from '../../model/session-error.js';
import { readCsvFile, type ParsedCsv } from '../../storage/import/csv-read.js';
import { CsvReadThread } from '../../storage/import/csv-read-thread.js';

const HEADER = 'timestamp,symbol,open,high,low,close,volume\n';

async function setUp(t: { teardown(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'tapedeck-read-thread-'));
  const thread = new CsvReadThread();
  t.teardown(async () => {
    await thread.close();
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, text: string) => {
    await writeFile(path.join(dir, name), text);
    return path.join(dir, name);
  };
  return { thread, file };
}

/** Columns as plain arrays, so a series read here and one moved from the thread compare equal. */
const plain = (parsed: ParsedCsv) => ({
  ...parsed,
  series: [...parsed.series].map(([symbol, bars]) => [symbol, ...[bars.t, bars.o, bars.h, bars.l, bars.c, bars.v].map((column) => [...column.subarray(0, bars.length)])]),
});

test('a file read on the thread is what reading it here gives: every series, in order, and the report', async (t) => {
  const { thread, file } = await setUp(t);
  const rows = Array.from({ length: 3000 }, (_, i) => `${new Date(Date.UTC(2024, 2, 8, 14, 30) + (i % 1500) * 60_000).toISOString()},${i % 2 ? 'MSFT' : 'AAPL'},${i},${i + 1},${i},${i},${i}`);
  // Repeated times (the later row wins), rows out of order, and both symbols.
  const csv = await file('many.csv', `${HEADER}${rows.reverse().join('\n')}\n`);
  const here = await readCsvFile({ file: csv, skipBad: true });
  const there = await thread.read({ file: csv, skipBad: true });
  t.deepEqual(plain(there), plain(here));
  t.deepEqual([...there.series.keys()], ['AAPL', 'MSFT']);
  t.is(thread.pending, 0);
});

test('a file with bad rows fails on the thread with the same BAD_INPUT: message, line numbers, count', async (t) => {
  const { thread, file } = await setUp(t);
  const csv = await file('bad.csv', `${HEADER}2024-03-08T14:30:00Z,AAPL,1,1,1,1,1\n2024-03-08T14:31:00Z,AAPL,1,x,1,1,1\n2024-03-08T14:32:00Z,AAPL,1,1,2,1,1\n`);
  const here = await t.throwsAsync(() => readCsvFile({ file: csv }));
  const there = await t.throwsAsync(() => thread.read({ file: csv }));
  t.true(isSessionError(there, 'BAD_INPUT'), String(there));
  t.is(there!.message, here!.message);
  t.deepEqual((there as { details?: unknown }).details, (here as { details?: unknown }).details);
  t.deepEqual((there as unknown as { details: { bad: Array<{ line: number }> } }).details.bad.map(({ line }) => line), [3, 4]);
});

test('an option wrong for every file crosses as INVALID_OPTION, and files handed over together are each answered', async (t) => {
  const { thread, file } = await setUp(t);
  const csv = await file('AAPL.csv', `${HEADER}2024-03-08T14:30:00Z,AAPL,1,1,1,1,1\n`);
  const reads = [thread.read({ file: csv, timeZone: 'Mars/Olympus' }), thread.read({ file: csv }), thread.read({ file: path.join(path.dirname(csv), 'missing.csv') })];
  t.is(thread.pending, 3);
  const [wrong, good, missing] = (await Promise.allSettled(reads)) as [PromiseSettledResult<ParsedCsv>, PromiseSettledResult<ParsedCsv>, PromiseSettledResult<ParsedCsv>];
  t.true(wrong.status === 'rejected' && isSessionError(wrong.reason, 'INVALID_OPTION'), String(wrong.status === 'rejected' && wrong.reason));
  t.true(good.status === 'fulfilled' && good.value.report.imported === 1);
  t.true(missing.status === 'rejected' && isSessionError(missing.reason, 'BAD_INPUT') && /Cannot read .*missing\.csv/.test(missing.reason.message), String(missing.status === 'rejected' && missing.reason));
});
