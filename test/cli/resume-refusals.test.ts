import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeRecord } from '../../storage/journal/journal-log.js';
import { RUN_JOURNAL_FILE, RunJournal } from '../../storage/journal/run-journal.js';
import { SessionJournal } from '../../storage/journal/session-journal.js';
import { runCli, workspace } from './cli-process.js';

test('--resume of another day or other symbols is refused saying what differs; --journal keeps an interrupted run; --force-new starts over', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  const interrupted = await SessionJournal.open(ws.runDir);
  interrupted.begin({ mode: 'backtest', date: '2024-03-08', calendar: 'nyse', speed: 60, extendedHours: false, symbols: [{ symbol: 'AAPL', streams: ['1m'] }] });
  interrupted.recordCommand({ sim: Date.parse('2024-03-08T15:00:00Z'), command: { op: 'add', symbol: 'TSLA', streams: ['1m'] } });
  const journal = await readFile(interrupted.file, 'utf8');

  const other = await runCli(['backtest', '--date', '2024-03-07', '--symbols', 'AAPL,MSFT', '--speed', 'max', '--data', ws.data, '--run-dir', ws.runDir, '--resume']);
  t.is(other.code, 2, other.stderr);
  t.regex(other.stderr, /JOURNAL_MISMATCH|is of another run/);
  t.regex(other.stderr, /date 2024-03-08 in the journal, 2024-03-07 asked/);
  t.regex(other.stderr, /symbols AAPL\(1m\) in the journal, AAPL\(1m\), MSFT\(1m\) asked/);
  t.regex(other.stderr, /--force-new/);

  const again = await runCli(['backtest', '--date', '2024-03-08', '--symbols', 'AAPL', '--speed', 'max', '--data', ws.data, '--run-dir', ws.runDir, '--journal']);
  t.is(again.code, 1, again.stderr);
  t.regex(again.stderr, /interrupted run of 2024-03-08 \(1 commands\)\. Add --resume to continue it, or --force-new to start over/);
  t.is(await readFile(interrupted.file, 'utf8'), journal, 'neither refusal touched the journal');

  const fresh = await runCli(['backtest', '--date', '2024-03-07', '--symbols', 'AAPL,MSFT', '--speed', 'max', '--data', ws.data, '--run-dir', ws.runDir, '--force-new']);
  t.not(fresh.code, 2, fresh.stderr);
  const record = (await SessionJournal.read(ws.runDir))!;
  t.is(record.config?.date, '2024-03-07');
  t.deepEqual(record.commands, []);
});

/**
 * The run journal written here as an interrupted run leaves it: its `open` record names a
 * process that is gone (this one is alive, and a journal a live run writes is JOURNAL_BUSY).
 */
async function asIfItsProcessDied(runDir: string): Promise<void> {
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  const file = join(runDir, RUN_JOURNAL_FILE);
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
  const rewritten = lines.map((line) => {
    const body = JSON.parse(line.slice(17)) as Record<string, unknown>;
    return body.type === 'open' ? encodeRecord({ ...body, pid: gone }) : `${line}\n`;
  });
  await writeFile(file, rewritten.join(''));
}

/** A run journal begun as `examples/sma-cross.ts --date 2024-03-08` with `params` would begin it. */
async function smaCrossJournal(runDir: string, params: Record<string, string>): Promise<RunJournal> {
  const journal = RunJournal.open(runDir);
  journal.begin({
    strategy: 'sma-cross',
    strategySha256: createHash('sha256').update(await readFile('examples/sma-cross.ts')).digest('hex'),
    params,
    days: ['2024-03-08'],
    symbols: null,
    cash: 100_000,
    commission: {},
    slippage: {},
  });
  return journal;
}

test('a strategy run resumed with other params is refused saying so', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  await smaCrossJournal(ws.runDir, { fast: '5' });
  await asIfItsProcessDied(ws.runDir);
  const other = await runCli(['backtest', '--strategy', 'examples/sma-cross.ts', '--date', '2024-03-08', '--param', 'fast=6', '--data', ws.data, '--run-dir', ws.runDir, '--out', join(ws.root, 'out'), '--resume']);
  t.is(other.code, 2, other.stderr);
  t.regex(other.stderr, /params \{"fast":"5"\} in the journal, \{"fast":"6"\} asked/);
});

test('a strategy run whose completed day comes out differently than its journal says is refused on resume', async (t) => {
  const ws = await workspace();
  t.teardown(() => ws.remove());
  const journal = await smaCrossJournal(ws.runDir, {});
  journal.recordDay(0, { date: '2024-03-08', bars: 1, pauses: [], added: [], removed: [], symbols: ['AAPL', 'MSFT'], fills: 0, startEquity: 100_000, endEquity: 100_001, pnl: 1 });
  await asIfItsProcessDied(ws.runDir);
  const resumed = await runCli(['backtest', '--strategy', 'examples/sma-cross.ts', '--date', '2024-03-08', '--data', ws.data, '--run-dir', ws.runDir, '--out', join(ws.root, 'out'), '--resume']);
  t.is(resumed.code, 2, resumed.stderr);
  t.regex(resumed.stderr, /Day 2024-03-08 came out differently than the journal .* recorded \(pnl .* now, 1 then\)/);
});
