import type { Bar } from 'tapedeck';

const MINUTE = 60_000;
const FIVE = 5 * MINUTE;

/**
 * The floor: the least any engine must do with the day — walk all symbols' bars in time order,
 * append each to typed-array columns, aggregate 5m bars aligned to the first bar's bucket, and
 * hand every bar's close to a strategy. No validation, no state machine, no notifier.
 */
export function floorOnce(days: readonly Bar[][]): { ms: number; checksum: number } {
  const started = performance.now();
  const n = days.length;
  const cursors = new Int32Array(n);
  const columns = days.map((day) => ({ length: 0, t: new Float64Array(day.length), o: new Float64Array(day.length), h: new Float64Array(day.length), l: new Float64Array(day.length), c: new Float64Array(day.length), v: new Float64Array(day.length) }));
  const fives = days.map((day) => ({ length: 0, t: new Float64Array(day.length), c: new Float64Array(day.length), h: new Float64Array(day.length), l: new Float64Array(day.length), o: new Float64Array(day.length), v: new Float64Array(day.length) }));
  let checksum = 0;
  const strategy = (close: number) => {
    checksum += close;
  };
  let next = Math.min(...days.map((day) => day[0]?.t ?? Number.POSITIVE_INFINITY));
  while (Number.isFinite(next)) {
    const now = next;
    next = Number.POSITIVE_INFINITY;
    for (let s = 0; s < n; s++) {
      const day = days[s]!;
      let i = cursors[s]!;
      while (i < day.length && day[i]!.t === now) {
        const bar = day[i]!;
        const col = columns[s]!;
        const k = col.length++;
        col.t[k] = bar.t;
        col.o[k] = bar.o;
        col.h[k] = bar.h;
        col.l[k] = bar.l;
        col.c[k] = bar.c;
        col.v[k] = bar.v;
        strategy(bar.c);
        const five = fives[s]!;
        const bucket = bar.t - (bar.t % FIVE);
        const last = five.length - 1;
        if (last >= 0 && five.t[last] === bucket) {
          five.h[last] = Math.max(five.h[last]!, bar.h);
          five.l[last] = Math.min(five.l[last]!, bar.l);
          five.c[last] = bar.c;
          five.v[last]! += bar.v;
        } else {
          if (last >= 0) strategy(five.c[last]!);
          const j = five.length++;
          five.t[j] = bucket;
          five.o[j] = bar.o;
          five.h[j] = bar.h;
          five.l[j] = bar.l;
          five.c[j] = bar.c;
          five.v[j] = bar.v;
        }
        i++;
      }
      cursors[s] = i;
      if (i < day.length && day[i]!.t < next) next = day[i]!.t;
    }
  }
  return { ms: performance.now() - started, checksum };
}
