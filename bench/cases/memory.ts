import { collectGarbage, report, summarize } from '../measure.js';
import { replayDay, replayOnce } from '../replay-day.js';

const SYMBOLS = 500;
const RUNS = 7;

/**
 * Case 5: heap retained by a finished 500-symbol session (its SessionData, symbol actors and
 * summary), per bar it holds, after full garbage collection. The store is built before the
 * baseline, so its own bars are not counted.
 */
export async function retainedMemory(): Promise<void> {
  const { store, symbols } = await replayDay(SYMBOLS);
  const perBar: number[] = [];
  const inColumns: number[] = [];
  let kept: unknown;
  for (let run = 0; run < RUNS; run++) {
    kept = undefined;
    await collectGarbage();
    const before = process.memoryUsage();
    const { session } = await replayOnce(store, symbols);
    kept = session;
    await collectGarbage();
    const after = process.memoryUsage();
    const held = symbols.reduce((sum, symbol) => sum + session.data.getBarCount(symbol, '1m') + session.data.getBarCount(symbol, '5m'), 0);
    perBar.push((after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers) / held);
    inColumns.push((after.arrayBuffers - before.arrayBuffers) / held);
  }
  if (!kept) throw new Error('the last session must still be alive when measured');
  const round = (x: number) => Number(x.toFixed(1));
  report(
    'memory',
    { symbols: SYMBOLS, streams: ['1m', '5m'] },
    { unit: 'bytes retained per bar held (heap + array buffers)', ...summarize(perBar, 1), typedArrayBytesPerBar: round(summarize(inColumns).median), target: 64 },
  );
}
