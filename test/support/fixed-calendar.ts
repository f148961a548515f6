import type { MarketCalendar, TradingSession } from '../../calendar/market-calendar.js';

/**
 * A calendar with one fixed UTC window every weekday, so engine tests do not depend on the
 * exchange calendar's rules. `minutes` is the session length.
 */
export function fixedCalendar({ openUtc = '14:30', minutes = 390, extendedBefore = 60, extendedAfter = 60 } = {}): MarketCalendar {
  const [hh, mm] = openUtc.split(':').map(Number) as [number, number];
  const sessionOf = (date: string): TradingSession | undefined => {
    const day = Date.parse(`${date}T00:00:00Z`);
    if (!Number.isFinite(day)) throw new Error(`bad date ${date}`);
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) return undefined;
    const open = day + (hh * 60 + mm) * 60_000;
    const close = open + minutes * 60_000;
    return { date, open, close, early: false, extendedOpen: open - extendedBefore * 60_000, extendedClose: close + extendedAfter * 60_000 };
  };
  const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const step = (date: string, days: number) => {
    let d = shift(date, days);
    while (!sessionOf(d)) d = shift(d, days);
    return d;
  };
  return {
    name: 'fixed',
    timeZone: 'UTC',
    isTradingDay: (date) => sessionOf(date) !== undefined,
    session: sessionOf,
    nextTradingDay: (date) => step(date, 1),
    previousTradingDay: (date) => step(date, -1),
    tradingDays: (from, to) => {
      const out: string[] = [];
      for (let d = from; d <= to; d = shift(d, 1)) if (sessionOf(d)) out.push(d);
      return out;
    },
    closedReason: (date) => (sessionOf(date) ? undefined : 'weekend'),
    dateOf: (ms) => new Date(ms).toISOString().slice(0, 10),
  };
}
