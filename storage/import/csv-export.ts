import type { BarColumnsView } from '../../model/bar-columns-view.js';
import { isoTime } from '../../model/iso-time.js';

/** Rows per chunk: a chunk is about 60 KB of text. */
const ROWS_PER_CHUNK = 1000;

/**
 * Bars as CSV text, in chunks: a header `time,open,high,low,close,volume`, then one row per
 * bar, the time as ISO-8601 UTC with milliseconds (the bar's open) and numbers as JavaScript
 * writes them, the shortest text that reads back to the same double. `importCsv` reads it back.
 */
export function* csvChunks(bars: BarColumnsView): Generator<string> {
  yield 'time,open,high,low,close,volume\n';
  for (let from = 0; from < bars.length; from += ROWS_PER_CHUNK) {
    let chunk = '';
    for (let i = from; i < Math.min(from + ROWS_PER_CHUNK, bars.length); i++) {
      chunk += `${isoTime(bars.t[i]!)},${bars.o[i]},${bars.h[i]},${bars.l[i]},${bars.c[i]},${bars.v[i]}\n`;
    }
    yield chunk;
  }
}
