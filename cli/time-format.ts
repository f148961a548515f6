// Display only, a handful of times per command: Intl is plenty here (the hot path never formats).
const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hourCycle: 'h23' });
    formats.set(key, found);
  }
  return found;
}

/** `HH:MM` (or `HH:MM:SS`) in the exchange's time zone. */
export function exchangeTime(at: number | string, timeZone: string, { seconds = false } = {}): string {
  return format(timeZone, seconds).format(new Date(at));
}

/** The zone's short name at that instant, e.g. `EST` / `EDT`, or an offset such as `GMT+1`. */
export function zoneName(at: number | string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(at));
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

export function utcTime(at: number | string): string {
  return exchangeTime(at, 'UTC');
}

/** `12 ms`, `1.4 s`: pauses are usually milliseconds, a slow store makes them seconds. */
export function duration(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
