import test from 'ava';
import { createSession, defineCalendar, generateDayBars, MemoryBarStore, silentLogger } from 'tapedeck';

test('a session runs on a calendar defined by the user: a 24/7 venue on a Saturday', async (t) => {
  const crypto = defineCalendar({ name: 'crypto', timeZone: 'UTC', hours: { open: '00:00', close: '24:00' }, weekend: [] });
  const day = crypto.session('2024-03-09')!;
  const store = new MemoryBarStore();
  await store.putBars('BTC-USD', '1m', generateDayBars('BTC-USD', day, { seed: 1, missingRate: 0 }));
  const session = createSession({ mode: 'backtest', date: '2024-03-09', calendar: crypto, store, symbols: [{ symbol: 'BTC-USD', streams: ['1m', '1h'] }], logger: silentLogger });
  await session.start();
  const summary = await session.done;
  t.is(summary.open, Date.parse('2024-03-09T00:00:00Z'));
  t.is(summary.endedAt, Date.parse('2024-03-10T00:00:00Z'));
  t.deepEqual(summary.symbols[0]!.streamed, { '1m': 1440, '1h': 24 });
});
