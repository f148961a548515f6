import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { createSession } from '../../session/create-session.js';
import { silentLogger } from '../../model/logger.js';
import type { Session } from '../../session/session.js';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { fullDay } from '../support/day-data.js';

export const DATE = '2024-03-08';

/** A manual-speed session on NYSE's 2024-03-08 over a memory store holding a full day of AAPL, MSFT and TSLA; NVDA has no data. */
export async function manualSession(): Promise<Session> {
  const day = nyse.session(DATE)!;
  const store = new MemoryBarStore();
  for (const [symbol, start] of [['AAPL', 170], ['MSFT', 400], ['TSLA', 180]] as const) await store.putBars(symbol, '1m', fullDay(day, start));
  const session = createSession({
    mode: 'backtest',
    date: DATE,
    symbols: ['AAPL', { symbol: 'MSFT', streams: ['1m', '5m'] }],
    store,
    speed: 'manual',
    logger: silentLogger,
  });
  await session.start();
  return session;
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `tapedeck-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The pid of a process that has exited: a run file naming it is stale. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}
