import test from 'ava';
import { logSessionEvents } from '../../cli/event-lines.js';
import type { Session } from '../../session/session.js';
import type { SymbolInfo } from '../../model/session-summary.js';

// picocolors colors these lines when CI is set: compare the text.
const plain = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');

type SymbolListener = (event: { symbol: string; origin: SymbolInfo['origin']; status: string; error?: { code: string; message: string } }) => void;

/** The members of a session the event lines use, with the symbols' rows set by the test: each event carries its row's origin. */
function fakeSession(rows: Array<Pick<SymbolInfo, 'symbol' | 'origin' | 'streams' | 'caughtUp'>>) {
  const listeners: SymbolListener[] = [];
  const fake = {
    listed: 0,
    rows,
    emit: (symbol: string, status: string) => listeners.forEach((listener) => listener({ symbol, origin: fake.rows.find((row) => row.symbol === symbol)!.origin, status })),
    session: {
      clock: { now: () => Date.UTC(2024, 2, 8, 15, 0) },
      calendar: { timeZone: 'America/New_York' },
      listSymbols: () => {
        fake.listed++;
        return fake.rows;
      },
      on: (event: string, listener: SymbolListener) => {
        if (event === 'symbol') listeners.push(listener);
        return () => undefined;
      },
    } as unknown as Session,
  };
  return fake;
}

test("the configured symbols going active together are told in one line, without listing the symbols", async (t) => {
  const rows = Array.from({ length: 500 }, (_, i) => ({ symbol: `S${i}`, origin: 'configured' as const, streams: ['1m' as const], caughtUp: {} }));
  const fake = fakeSession(rows);
  const lines: string[] = [];
  logSessionEvents(fake.session, (line) => lines.push(plain(line)));
  for (const { symbol } of rows) fake.emit(symbol, 'active');
  await Promise.resolve();
  t.deepEqual(lines, ['10:00 ✓ 500 symbols (S0, S1, S2 … S499) are active']);
  t.is(fake.listed, 0);
});

test('a few configured symbols are named; an added one going active meanwhile keeps its own line', async (t) => {
  const fake = fakeSession([
    { symbol: 'AAPL', origin: 'configured', streams: ['1m'], caughtUp: {} },
    { symbol: 'MSFT', origin: 'configured', streams: ['1m'], caughtUp: {} },
    { symbol: 'TSLA', origin: 'dynamic', streams: ['1m'], caughtUp: { '1m': 30 } },
  ]);
  const lines: string[] = [];
  logSessionEvents(fake.session, (line) => lines.push(plain(line).replace(/^\S+ /, '')));
  fake.emit('AAPL', 'active');
  fake.emit('MSFT', 'active');
  fake.emit('TSLA', 'active');
  await Promise.resolve();
  t.deepEqual(lines, ['✓ AAPL, MSFT are active', '✓ TSLA is active (caught up 30 bars)']);
});

test('a symbol removed and added again is told as an added symbol, with its catch-up', (t) => {
  const fake = fakeSession([{ symbol: 'AAPL', origin: 'configured', streams: ['1m'], caughtUp: {} }]);
  const lines: string[] = [];
  logSessionEvents(fake.session, (line) => lines.push(plain(line).replace(/^\S+ /, '')));
  fake.emit('AAPL', 'active');
  fake.emit('AAPL', 'removed');
  fake.rows = [{ symbol: 'AAPL', origin: 'dynamic', streams: ['1m', '5m'], caughtUp: { '1m': 90, '5m': 18 } }];
  fake.emit('AAPL', 'queued');
  fake.emit('AAPL', 'active');
  t.deepEqual(lines, ['✓ AAPL is active', 'AAPL removed', 'AAPL queued for addition (1m, 5m)', '✓ AAPL is active (caught up 90 bars)']);
});
