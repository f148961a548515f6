/** 10^k for k ≤ 22: every one of them is exact as a double. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Up to 15 digits, the integer they make stays below 2^53, so it is exact. */
const MAX_DIGITS = 15;

/**
 * `text[from, to)` read as a plain decimal — digits with at most one `.` among them, at most 15
 * digits — or `NaN` when it is anything else (a sign, an exponent, spaces, more digits, empty):
 * then `Number()` must read it. For a plain decimal the digits make an exact integer `m` and the
 * fraction an exact power of ten, so `m / 10^k` is rounded once, correctly, and equals what
 * `Number()` returns for the same text, without cutting the text out of its line first.
 */
export function plainDecimal(text: string, from: number, to: number): number {
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
    } else if (code === 46 && point < 0) {
      point = i;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > MAX_DIGITS) return Number.NaN;
  return point < 0 ? mantissa : mantissa / POWERS_OF_TEN[to - point - 1]!;
}
