import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSession, SessionJournal, silentLogger } from 'tapedeck';
import { acceleratedClock } from '../../data-plane/live-clock.js';
import { ReplayFeed } from '../../feeds/replay-feed.js';
import { calendar, storeWith, today } from '../support/live-fixture.js';

async function runDir(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tapedeck-live-journal-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  return path.join(root, 'run');
}

/** A live replay session a few minutes into the day, on a clock slow enough that it is still open when stopped. */
async function liveSession(dir: string, resume: boolean) {
  const store = await storeWith(['AAPL', 'TSLA']);
  const clock = acceleratedClock(today.open + 3 * 60_000, 10);
  const feed = new ReplayFeed({ store, clock, calendar, pollMs: 5 });
  const recorder = await SessionJournal.open(dir, { resume });
  return createSession({ mode: 'live', feed, clock, calendar, symbols: ['AAPL'], tickMs: 5, logger: silentLogger, recorder, resume });
}

test('a live session writes its journal: the live config, its transitions, its added symbols; resume adds them again', async (t) => {
  const dir = await runDir(t);
  const first = await liveSession(dir, false);
  await first.start();
  await first.addSymbol('TSLA', { streams: ['1m', '5m'] });
  await first.stop();
  const record = (await SessionJournal.read(dir))!;
  t.deepEqual(record.config, { mode: 'live', date: today.date, calendar: calendar.name, extendedHours: false, symbols: [{ symbol: 'AAPL', streams: ['1m'] }] });
  t.deepEqual(record.transitions.map((x) => x.state), ['streaming', 'closed']);
  t.like(record.symbols.find((s) => s.symbol === 'TSLA'), { status: 'active', streams: ['1m', '5m'] });

  const second = await liveSession(dir, true);
  const settled = new Promise<string>((resolve) => {
    second.on('symbol', ({ symbol, status }) => {
      if (symbol === 'TSLA' && (status === 'active' || status === 'failed')) resolve(status);
    });
  });
  await second.start();
  t.is(await settled, 'active', 'the added symbol comes back on resume');
  t.like(second.listDynamic().find((s) => s.symbol === 'TSLA'), { streams: ['1m', '5m'] });
  await second.stop();
});

test('a live resume takes the symbols the journal ends with: a configured symbol removed stays out, one re-added comes back with its streams', async (t) => {
  const dir = await runDir(t);
  const store = await storeWith(['AAPL', 'TSLA', 'MSFT']);
  const open = async (resume: boolean) => {
    const clock = acceleratedClock(today.open + 3 * 60_000, 10);
    const feed = new ReplayFeed({ store, clock, calendar, pollMs: 5 });
    const recorder = await SessionJournal.open(dir, { resume });
    return createSession({ mode: 'live', feed, clock, calendar, symbols: ['AAPL', 'MSFT'], tickMs: 5, logger: silentLogger, recorder, resume });
  };
  const first = await open(false);
  await first.start();
  await first.removeSymbol('AAPL', { immediate: true });
  await first.addSymbol('TSLA', { streams: ['1m'] });
  await first.removeSymbol('TSLA', { immediate: true });
  await first.addSymbol('TSLA', { streams: ['1m', '15m'] });
  await first.stop();
  t.deepEqual((await SessionJournal.read(dir))!.commands.map(({ command }) => `${command.op} ${command.symbol}`), ['remove AAPL', 'add TSLA', 'remove TSLA', 'add TSLA']);

  const second = await open(true);
  const tsla = new Promise<void>((resolve) => second.on('symbol', ({ symbol, status }) => symbol === 'TSLA' && status === 'active' && resolve()));
  await second.start();
  await tsla;
  const live = second.listSymbols().filter((s) => s.status !== 'removed').map((s) => `${s.symbol} ${s.streams.join(',')}`);
  t.deepEqual(live.sort(), ['MSFT 1m', 'TSLA 1m,15m']);
  t.deepEqual((await SessionJournal.read(dir))!.commands.length, 4, 'what the resume restores is not written again');
  await second.stop();
});
