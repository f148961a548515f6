import fc from 'fast-check';
import { MINUTE_MS, type Bar } from '../../model/bar.js';
import type { TradingSession } from '../../calendar/market-calendar.js';

/** A plausible 1m bar at `t` around `price`. */
export function barAt(t: number, price: number, volume = 100): Bar {
  return { t, o: price, h: price + 0.5, l: price - 0.5, c: price + 0.25, v: volume };
}

/** Every minute of the regular session, prices walking up by a cent a minute from `start`. */
export function fullDay(session: TradingSession, start = 100): Bar[] {
  const bars: Bar[] = [];
  for (let t = session.open, p = start; t < session.close; t += MINUTE_MS, p += 0.01) bars.push(barAt(t, Math.round(p * 100) / 100));
  return bars;
}

/**
 * One symbol's stored day as a store may hold it: regular-hours minutes with gaps, plus bars
 * before the open and after the close that validation must drop.
 */
export function dayBarsArb(session: TradingSession): fc.Arbitrary<Bar[]> {
  const minutes = (session.close - session.open) / MINUTE_MS;
  const before = (session.open - session.extendedOpen) / MINUTE_MS;
  const after = (session.extendedClose - session.close) / MINUTE_MS;
  const offsets = fc.uniqueArray(fc.integer({ min: -before, max: minutes + after - 1 }), { maxLength: minutes + 10 });
  return fc.tuple(offsets, fc.integer({ min: 10, max: 500 }), fc.nat(1000)).map(([picked, start, seed]) =>
    picked
      .sort((a, b) => a - b)
      .map((offset, i) => barAt(session.open + offset * MINUTE_MS, start + ((seed + i * 37) % 101) / 10, 1 + ((seed * 7 + i) % 300))),
  );
}
