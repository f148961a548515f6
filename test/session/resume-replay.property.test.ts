import test from 'ava';
import { fc } from '@fast-check/ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nyse } from '../../calendar/nyse.js';
import { MINUTE_MS, type Interval } from '../../model/bar.js';
import { silentLogger } from '../../model/logger.js';
import type { SymbolCommand } from '../../model/session-recorder.js';
import { createSession } from '../../session/create-session.js';
import type { PlannedCommand } from '../../session/session-options.js';
import type { Session } from '../../session/session.js';
import { MemoryBarStore } from '../../storage/bars/memory-bar-store.js';
import { SessionJournal } from '../../storage/journal/session-journal.js';
import { generateDayBars } from '../../storage/synthetic/synthetic-bars.js';

// Resume is deterministic replay: a session interrupted at any minute (its process dropped, as
// a kill leaves it) and resumed from its journal, at any speed, ends as the run never
// interrupted — its onBar log (with the clock at each bar), its data and its symbols.

const DATE = '2024-03-08';
const day = nyse.session(DATE)!;
const MINUTES = (day.close - day.open) / MINUTE_MS;
const CONFIGURED = [{ symbol: 'AAPL', streams: ['1m', '5m'] as Interval[] }, { symbol: 'MSFT', streams: ['1m'] as Interval[] }];
const OTHERS = ['TSLA', 'NVDA'];
const store = new MemoryBarStore();
for (const [i, symbol] of ['AAPL', 'MSFT', ...OTHERS].entries()) await store.putBars(symbol, '1m', generateDayBars(symbol, day, { seed: 3 + i }));

/** Commands a session accepts in order: a symbol is added when out, removed when in. */
const planArb = fc
  .uniqueArray(fc.integer({ min: 0, max: MINUTES - 1 }), { maxLength: 8 })
  .chain((minutes) => fc.tuple(fc.constant(minutes.sort((a, b) => a - b)), fc.array(fc.tuple(fc.constantFrom('AAPL', 'MSFT', ...OTHERS), fc.boolean(), fc.subarray(['5m', '15m'] as Interval[])), { minLength: minutes.length, maxLength: minutes.length })))
  .map(([minutes, picks]) => {
    const inSession = new Set(CONFIGURED.map((c) => c.symbol));
    return minutes.map((minute, i): PlannedCommand => {
      const [symbol, immediate, extra] = picks[i]!;
      const command: SymbolCommand = inSession.delete(symbol) ? { op: 'remove', symbol, immediate } : { op: 'add', symbol, streams: ['1m', ...extra] };
      if (command.op === 'add') inSession.add(symbol);
      return { sim: day.open + minute * MINUTE_MS, command };
    });
  });

type Pace = 'max' | 'manual' | number;
const paceArb = fc.constantFrom<Pace>('max', 'manual', 600_000);

function observed(session: Session): { log: string[]; final: () => string } {
  const log: string[] = [];
  session.onBar((bar) => log.push(`${session.clock.now()} ${bar.symbol} ${bar.interval} ${bar.t} ${bar.c} ${bar.v}`));
  const final = () =>
    JSON.stringify(
      session.listSymbols().map(({ symbol, status, origin, streams }) => [symbol, status, origin, streams.map((interval) => [interval, session.data.getLastNBars(symbol, 10_000, interval)])]),
    );
  return { log, final };
}

async function toTheEnd(session: Session, pace: Pace): Promise<void> {
  await session.start();
  if (pace === 'manual') await session.advanceTo(day.close);
  await session.done;
}

test('a session interrupted at any minute and resumed from its journal at any speed ends as the uninterrupted run', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'tapedeck-resume-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  let run = 0;
  await fc.assert(
    fc.asyncProperty(planArb, fc.integer({ min: 0, max: MINUTES }), paceArb, async (plan, interruptedAt, after) => {
      const options = { mode: 'backtest' as const, date: DATE, symbols: CONFIGURED, store, plan, logger: silentLogger };
      const once = createSession({ ...options, speed: 'max' });
      const expected = observed(once);
      await toTheEnd(once, 'max');

      const dir = path.join(root, String(run++));
      const first = createSession({ ...options, speed: 'manual', recorder: await SessionJournal.open(dir) });
      await first.start();
      await first.advanceTo(day.open + interruptedAt * MINUTE_MS);
      // The first run is dropped where it stands, as a kill leaves it: nothing more is written.

      const resumed = createSession({ ...options, speed: after, recorder: await SessionJournal.open(dir, { resume: true }), resume: true });
      const actual = observed(resumed);
      await toTheEnd(resumed, after);
      t.deepEqual(actual.log, expected.log);
      t.is(actual.final(), expected.final());
      const journal = (await SessionJournal.read(dir))!;
      t.deepEqual(journal.commands.map((c) => c.sim), plan.map((c) => c.sim), 'every command once in the journal, at its minute');
    }),
    { numRuns: 40 },
  );
});
