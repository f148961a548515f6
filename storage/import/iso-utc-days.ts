const Z = 90;
const T = 84;

/**
 * Reads times written `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.fffZ` (as `toISOString()`
 * and most exports write UTC) by their clock alone while the date stays the one of the row
 * before: a day of 1m bars repeats its date 390 to 1,440 times. A date is read once, by the
 * full parser, and any other text goes to it as it is, so the results are the parser's.
 */
export class IsoUtcDays {
  #date = '';
  #dayMs = 0;

  constructor(private readonly parse: (text: string) => number | string) {}

  /** `read(text.slice(from, to))`, without cutting the time out of its line when it is read by its clock. */
  readAt(text: string, from: number, to: number): number | string {
    const date = this.#date;
    if (date.length === 10) {
      // Compared a code at a time: startsWith from a position cost more than the clock's parsing.
      let same = true;
      for (let i = 0; i < 10 && same; i++) same = text.charCodeAt(from + i) === date.charCodeAt(i);
      const clock = same ? clockOf(text, from, to) : -1;
      if (clock >= 0) return this.#dayMs + clock;
    }
    return this.read(text.slice(from, to));
  }

  read(text: string): number | string {
    const clock = clockOf(text, 0, text.length);
    if (clock >= 0 && text.startsWith(this.#date) && this.#date.length === 10) return this.#dayMs + clock;
    const t = this.parse(text);
    if (clock >= 0 && typeof t === 'number') {
      this.#date = text.slice(0, 10);
      this.#dayMs = t - clock;
    }
    return t;
  }
}

/** Milliseconds since midnight of an ISO UTC time of that shape in `text[from, to)`, with a valid clock; -1 for any other text. */
function clockOf(text: string, from: number, to: number): number {
  const n = to - from;
  if ((n !== 20 && n !== 24) || text.charCodeAt(to - 1) !== Z || text.charCodeAt(from + 10) !== T || text.charCodeAt(from + 4) !== 45 || text.charCodeAt(from + 7) !== 45) return -1;
  if (text.charCodeAt(from + 13) !== 58 || text.charCodeAt(from + 16) !== 58 || (n === 24 && text.charCodeAt(from + 19) !== 46)) return -1;
  const hour = twoDigits(text, from + 11);
  const minute = twoDigits(text, from + 14);
  const second = twoDigits(text, from + 17);
  const tens = n === 24 ? twoDigits(text, from + 20) : 0;
  const ones = n === 24 ? digit(text, from + 22) : 0;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || tens < 0 || ones < 0) return -1;
  return ((hour * 60 + minute) * 60 + second) * 1000 + tens * 10 + ones;
}

function twoDigits(text: string, at: number): number {
  const high = digit(text, at);
  const low = digit(text, at + 1);
  return high < 0 || low < 0 ? -1 : high * 10 + low;
}

function digit(text: string, at: number): number {
  const code = text.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}
