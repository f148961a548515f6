/** Where each field of a bar is in a CSV row. `date` is set when the time is split over a date and a time column. */
export interface CsvLayout {
  time: number;
  date?: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  columns: number;
}

const PRICE_NAMES = {
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
} as const;

/**
 * Finds the bar's columns in a header row. Names are compared lower-cased with everything but
 * letters and digits removed, so `Open`, `<OPEN>`, `Date/Time` and `Vol.` are all recognized.
 * Returns what is missing, as a sentence, when the row is not a usable header.
 */
export function detectLayout(header: readonly string[]): CsvLayout | string {
  const names = header.map((name) => name.toLowerCase().replace(/[^a-z0-9]/g, ''));
  const find = (...candidates: readonly string[]) => {
    for (const candidate of candidates) {
      const index = names.indexOf(candidate);
      if (index >= 0) return index;
    }
    return -1;
  };
  const date = find('date');
  const clock = find('time');
  const stamp = find('timestamp', 'datetime');
  const split = stamp < 0 && date >= 0 && clock >= 0;
  const time = stamp >= 0 ? stamp : split ? clock : Math.max(clock, date);

  const prices = Object.fromEntries(Object.entries(PRICE_NAMES).map(([field, candidates]) => [field, find(...candidates)])) as Record<keyof typeof PRICE_NAMES, number>;
  const missing = [
    ...(time < 0 ? ['a time column (timestamp, datetime, time, or date and time)'] : []),
    ...Object.entries(prices).flatMap(([field, index]) => (index < 0 ? [`${field} (${PRICE_NAMES[field as keyof typeof PRICE_NAMES].join('/')})`] : [])),
  ];
  if (missing.length > 0) return `the header has no ${missing.join(', ')}; it has ${header.map((name) => JSON.stringify(name)).join(', ')}`;
  return { time, ...(split ? { date } : {}), ...prices, columns: header.length };
}
