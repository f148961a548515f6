import { createRequire } from 'node:module';
import type * as TemporalModule from 'temporal-polyfill';
import { SessionError } from '../../model/session-error.js';

/**
 * Loaded at the first local date looked up: a file of UTC or epoch times never needs it, and
 * loading it took ~25 ms of a 0.45 s import of 500 files.
 */
let temporal: typeof TemporalModule.Temporal | undefined;
const Temporal = (): typeof TemporalModule.Temporal => (temporal ??= (createRequire(import.meta.url)('temporal-polyfill') as typeof TemporalModule).Temporal);

/** One local date's offsets: most days have one; a DST day has two and the instant it switches. */
interface DayOffsets {
  /** UTC offset in ms at the start of the day (e.g. -5 h for New York in winter). */
  before: number;
  /** When the offset changes that day (epoch ms), and the offset after it. */
  transition?: number;
  after?: number;
}

/**
 * Time zone names a `LocalTimeZone` was made with: Temporal knows them. The default needs no
 * check: checking a name first loads ICU's zone data, ~12 ms, which a file of UTC or epoch times
 * never uses.
 */
export const DEFAULT_TIME_ZONE = 'America/New_York';
const knownZones = new Set<string>([DEFAULT_TIME_ZONE]);

/**
 * Turns exchange-local wall times into epoch ms. Temporal costs ~15 µs a call, far too much
 * per CSV row, so each local date is looked up once (its offset at midnight and the next
 * transition) and every time that day is plain arithmetic.
 *
 * Local times that do not exist (the hour skipped in spring) or happen twice (the hour
 * repeated in autumn) resolve as Temporal's `compatible` disambiguation does: a skipped time
 * moves forward by the gap, a repeated one takes the earlier instant.
 */
export class LocalTimeZone {
  readonly timeZone: string;
  readonly #days = new Map<number, DayOffsets>();
  #lastKey = -1;
  #last: DayOffsets = { before: 0 };

  constructor(timeZone: string) {
    // Checked once a process per name: an import makes one per file, and the check cost ~30 µs.
    // Intl knows every IANA name Temporal does (the polyfill asks it); Temporal is asked only
    // about what Intl refuses, such as an offset (+05:30) on an older ICU.
    if (!knownZones.has(timeZone)) {
      try {
        if (!isIntlTimeZone(timeZone)) Temporal().Now.zonedDateTimeISO(timeZone);
      } catch (error) {
        throw new SessionError('INVALID_OPTION', `Unknown time zone ${JSON.stringify(timeZone)}: use an IANA name such as America/New_York or UTC.`, { timeZone }, { cause: error });
      }
      knownZones.add(timeZone);
    }
    this.timeZone = timeZone;
  }

  /** The instant of a valid local date and time; `localMs` is that wall time read as if it were UTC. */
  toEpochMs(year: number, month: number, day: number, localMs: number): number {
    const key = year * 10_000 + month * 100 + day;
    if (key !== this.#lastKey) {
      this.#last = this.#days.get(key) ?? this.#lookUp(key, year, month, day);
      this.#lastKey = key;
    }
    const { before, transition, after } = this.#last;
    const early = localMs - before;
    if (transition === undefined || after === undefined || early < transition) return early;
    const late = localMs - after;
    // In a spring gap the later offset lands before the switch: the time does not exist.
    return late >= transition ? late : early;
  }

  #lookUp(key: number, year: number, month: number, day: number): DayOffsets {
    const date = Temporal().PlainDate.from({ year, month, day });
    const start = date.toZonedDateTime({ timeZone: this.timeZone });
    const eve = Temporal().Instant.fromEpochMilliseconds(start.epochMilliseconds - 1).toZonedDateTimeISO(this.timeZone);
    let offsets: DayOffsets;
    if (eve.offsetNanoseconds !== start.offsetNanoseconds) {
      // The clocks changed at midnight (e.g. São Paulo until 2019): the day starts with the switch.
      offsets = { before: eve.offsetNanoseconds / 1e6, transition: start.epochMilliseconds, after: start.offsetNanoseconds / 1e6 };
    } else {
      const next = start.getTimeZoneTransition('next');
      offsets = next?.toPlainDate().equals(date)
        ? { before: start.offsetNanoseconds / 1e6, transition: next.epochMilliseconds, after: next.offsetNanoseconds / 1e6 }
        : { before: start.offsetNanoseconds / 1e6 };
    }
    this.#days.set(key, offsets);
    return offsets;
  }
}

function isIntlTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
