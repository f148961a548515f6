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
