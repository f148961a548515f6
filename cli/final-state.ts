import { createHash, type Hash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Interval } from '../model/bar.js';
import type { Session } from '../session/session.js';

/**
 * `--state-out`: what a run ends with, in a form two runs can be compared by — the `onBar` log
 * (each bar with the clock at delivery) and every series of `SessionData` at the close, each as
 * a count and a sha256, with every symbol's status. Attach before `start()`.
 */
export function recordFinalState(session: Session): (file: string) => Promise<void> {
  const log = createHash('sha256');
  let delivered = 0;
  session.onBar((bar) => {
    delivered++;
    log.update(`${session.clock.now()} ${bar.symbol} ${bar.interval} ${bar.t} ${bar.o} ${bar.h} ${bar.l} ${bar.c} ${bar.v}\n`);
  });
  return async (file) => {
    const data: Record<string, { bars: number; sha256: string }> = {};
    const symbols = session.listSymbols();
    for (const { symbol, streams } of symbols) {
      for (const interval of streams as Interval[]) {
        const bars = session.data.getLastNBars(symbol, Number.MAX_SAFE_INTEGER, interval);
        data[`${symbol} ${interval}`] = { bars: bars.length, sha256: digest(createHash('sha256'), bars.map((b) => `${b.t} ${b.o} ${b.h} ${b.l} ${b.c} ${b.v}`)) };
      }
    }
    const state = {
      onBar: { bars: delivered, sha256: log.digest('hex') },
      data,
      symbols: symbols.map(({ symbol, origin, status, streams }) => ({ symbol, origin, status, streams })),
      endedAt: session.clock.now(),
    };
    await writeFile(file, `${JSON.stringify(state, null, 2)}\n`);
  };
}

function digest(hash: Hash, lines: string[]): string {
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
}
