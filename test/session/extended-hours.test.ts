import test from 'ava';
import { barAt } from '../support/day-data.js';
import { DATE, harness, shortCalendar } from '../support/session-harness.js';

// A 60-minute regular session with 30 minutes of extended hours either side (shortCalendar).
const day = shortCalendar(60).session(DATE)!;
const minutes = (from: number, to: number) => Array.from({ length: (to - from) / 60_000 }, (_, i) => barAt(from + i * 60_000, 100 + i / 100));
const stored = minutes(day.extendedOpen - 5 * 60_000, day.extendedClose + 5 * 60_000);

// The session asks the store for the extended window only; bars beyond it are never read.
test('regular hours by default: pre- and after-market bars are dropped and counted', async (t) => {
  const h = harness({ symbols: ['XYZ'], days: { XYZ: stored }, speed: 'max' });
  await h.session.start();
  const summary = await h.session.done;
  const xyz = summary.symbols.find((s) => s.symbol === 'XYZ')!;
  t.is(h.session.data.getBarCount('XYZ'), 60);
  t.is(h.session.data.getBarsSince('XYZ', 0)[0]!.t, day.open);
  t.is(xyz.loaded, 120, 'the whole extended window was read');
  t.is(xyz.dropped.outsideHours, 60);
  t.is(summary.droppedOutsideHours, 60);
});

test('with extendedHours the clock runs from the extended open to the extended close, and derived bars stay aligned to the open', async (t) => {
  const h = harness({ symbols: [{ symbol: 'XYZ', streams: ['1m', '15m'] }], days: { XYZ: stored }, speed: 'manual', extendedHours: true });
  await h.session.start();
  t.is(h.session.clock.now(), day.extendedOpen);
  await h.session.advanceTo(day.extendedClose);
  const summary = await h.session.done;
  t.is(summary.endedAt, day.extendedClose);
  t.is(h.session.data.getBarCount('XYZ'), 120, '30 + 60 + 30 minutes');
  t.is(summary.symbols[0]!.dropped.outsideHours, 0);
  const quarters = h.session.data.getBarsSince('XYZ', 0, '15m').map((b) => (b.t - day.open) / 60_000);
  t.deepEqual(quarters, [-30, -15, 0, 15, 30, 45, 60, 75]);
});
