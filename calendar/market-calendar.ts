/** One exchange day's trading hours, as epoch milliseconds. */
export interface TradingSession {
  /** The exchange-local date, `YYYY-MM-DD`. */
  date: string;
  /** Regular-hours open and close: a bar is in hours when `open <= t < close`. */
  open: number;
  close: number;
  /** True on a shortened day (e.g. NYSE 13:00 closes). */
  early: boolean;
  /** Extended-hours window (pre-market open, after-hours close) where the exchange has one. */
  extendedOpen: number;
  extendedClose: number;
}

export interface MarketCalendar {
  /** Short name, e.g. `nyse`. */
  name: string;
  /** IANA time zone of the exchange, e.g. `America/New_York`. */
  timeZone: string;
  isTradingDay(date: string): boolean;
  /** The day's session, or `undefined` when the exchange is closed that day. */
  session(date: string): TradingSession | undefined;
  nextTradingDay(date: string): string;
  previousTradingDay(date: string): string;
  /** Trading days from `from` to `to`, both inclusive. */
  tradingDays(from: string, to: string): string[];
  /** Why the exchange is closed on `date` (e.g. `Good Friday`, `weekend`), or `undefined` if open. */
  closedReason(date: string): string | undefined;
  /** The exchange-local date of an instant, `YYYY-MM-DD`. */
  dateOf(epochMs: number): string;
}
