import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSession, generateDayBars, LowdbBarStore, silentLogger } from 'tapedeck';
import { report, summarize } from '../measure.js';
import { DATE, tradingSession } from '../replay-day.js';

const CONFIGURED = 20;
const SINGLE_ADDS = 60;
const COALESCED = 50;
const COALESCED_RUNS = 9;

/**
 * Case 4: how long the stream stands still (deactivate → reactivate) to add symbols at 15:59,
 * their day read from a LowdbBarStore on disk — one at a time, and fifty at one step.
 */
export async function addSymbolPause(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapedeck-bench-'));
  try {
    const symbols = Array.from({ length: CONFIGURED + SINGLE_ADDS + COALESCED }, (_, i) => `P${String(i).padStart(3, '0')}`);
    const writer = new LowdbBarStore(dir);
    for (const symbol of symbols) await writer.putBars(symbol, '1m', generateDayBars(symbol, tradingSession, { seed: 2 }));
    const configured = symbols.slice(0, CONFIGURED);
    const singles = symbols.slice(CONFIGURED, CONFIGURED + SINGLE_ADDS);
    const batch = symbols.slice(CONFIGURED + SINGLE_ADDS);
    const params = { store: 'LowdbBarStore (on disk, fresh store per session)', at: '15:59', configured: CONFIGURED, streams: ['1m', '5m'] };

    const single = await sessionAt1559(dir, configured);
    const singlePauses: number[] = [];
    for (const symbol of singles) {
      const added = single.addSymbol(symbol, { streams: ['1m', '5m'] });
      await single.advance(0);
      await added;
      singlePauses.push(single.summary().pauses.at(-1)!.durationMs);
    }
    await single.stop();
    report('add-symbol-pause', { ...params, adds: SINGLE_ADDS, symbolsPerPause: 1 }, { unit: 'ms paused', ...summarize(singlePauses), target: { p99: 10 } });

    const coalesced: number[] = [];
    for (let run = 0; run < COALESCED_RUNS; run++) {
      const session = await sessionAt1559(dir, configured);
      const adds = batch.map((symbol) => session.addSymbol(symbol, { streams: ['1m', '5m'] }));
      await session.advance(0);
      await Promise.all(adds);
      const pause = session.summary().pauses.at(-1)!;
      if (pause.symbols.length !== COALESCED) throw new Error(`expected one pause for ${COALESCED} symbols, got ${pause.symbols.length}`);
      coalesced.push(pause.durationMs);
      await session.stop();
    }
    report('add-symbol-pause', { ...params, symbolsPerPause: COALESCED }, { unit: 'ms paused', ...summarize(coalesced), target: { p99: 100 } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function sessionAt1559(dir: string, configured: string[]) {
  const session = createSession({
    mode: 'backtest',
    date: DATE,
    store: new LowdbBarStore(dir),
    symbols: configured.map((symbol) => ({ symbol, streams: ['1m', '5m'] })),
    speed: 'manual',
    logger: silentLogger,
  });
  await session.start();
  await session.advanceTo(tradingSession.close - 60_000);
  return session;
}
