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
  // The digits' values, each checked with one unsigned comparison (a code below '0' is a
  // negative difference, over any bound once unsigned). Written out, not a call per digit:
  // most of a folder's rows are read before the optimizer inlines such calls, and until then
  // each cost more than the arithmetic.
  const h1 = text.charCodeAt(from + 11) - 48;
  const h2 = text.charCodeAt(from + 12) - 48;
  const m1 = text.charCodeAt(from + 14) - 48;
  const m2 = text.charCodeAt(from + 15) - 48;
  const s1 = text.charCodeAt(from + 17) - 48;
  const s2 = text.charCodeAt(from + 18) - 48;
  if (h1 >>> 0 > 2 || h2 >>> 0 > 9 || h1 * 10 + h2 > 23 || m1 >>> 0 > 5 || m2 >>> 0 > 9 || s1 >>> 0 > 5 || s2 >>> 0 > 9) return -1;
  let ms = 0;
  if (n === 24) {
    const hundreds = text.charCodeAt(from + 20) - 48;
    const tens = text.charCodeAt(from + 21) - 48;
    const ones = text.charCodeAt(from + 22) - 48;
    if (hundreds >>> 0 > 9 || tens >>> 0 > 9 || ones >>> 0 > 9) return -1;
    ms = hundreds * 100 + tens * 10 + ones;
  }
  return (((h1 * 10 + h2) * 60 + m1 * 10 + m2) * 60 + s1 * 10 + s2) * 1000 + ms;
}
