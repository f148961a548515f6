import { report, summarize } from '../measure.js';
import { replayDay, replayOnce } from '../replay-day.js';
import { floorOnce } from './floor.js';

const SYMBOLS = 500;
const RUNS = 9;

/**
 * Cases 1 and 2: the engine end to end (session start to done) against the same work done in a
 * plain loop, interleaved run by run so both see the same machine noise.
 */
export async function replayAgainstFloor(): Promise<void> {
  const { store, symbols, days, bars } = await replayDay(SYMBOLS);
  await replayOnce(store, symbols); // warm-up: JIT and caches
  floorOnce(days);
  const replayMs: number[] = [];
  const floorMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const r = await replayOnce(store, symbols);
    if (r.streamed !== bars) throw new Error(`replay streamed ${r.streamed} of ${bars} bars`);
    replayMs.push(r.ms);
    floorMs.push(floorOnce(days).ms);
  }
  const params = { symbols: SYMBOLS, bars, streams: ['1m', '5m'], speed: 'max', store: 'MemoryBarStore' };
  const replay = summarize(replayMs);
  const floor = summarize(floorMs);
  const replayRate = Math.round((bars / replay.median) * 1000);
  const floorRate = Math.round((bars / floor.median) * 1000);
  report('replay', params, { ms: replay, barsPerSecond: replayRate, target: 5_000_000 });
  report('floor', params, { ms: floor, barsPerSecond: floorRate });
  report('replay/floor', params, { ratio: Number((replayRate / floorRate).toFixed(3)), target: 0.5 });
}
