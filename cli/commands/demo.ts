import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Temporal } from 'temporal-polyfill';
import { nyse } from '../../calendar/nyse.js';
import { resolveRunDir } from '../../control/run-file.js';
import { assertWritableDir, RUN_DIR_ROLE } from '../writable-dir.js';
import { INTERVAL_MS } from '../../model/bar.js';
import type { PauseRecord } from '../../model/pause-record.js';
import { silentLogger } from '../../model/logger.js';
import { runBacktest } from '../../run/run-backtest.js';
import type { BarStore } from '../../model/bar-store.js';
import { createSession } from '../../session/create-session.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';
import { openBarStore, storedSymbols, storeOption, type StoreKind } from '../bar-store-option.js';
import { shellContext } from '../command-context.js';
import { count, heading, note, ok, plural } from '../messages.js';
import { renderSummary } from '../summary-table.js';
import { duration, exchangeTime } from '../time-format.js';
import { loadStrategy } from '../strategy-file.js';
import { metricsTable } from './strategy-backtest.js';

const DATE = '2024-03-08';
const DATA_FROM = '2024-03-04';
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA'];
// Fixed, so every run of the demo tells the same story over the same bars.
const SEED = 42;

interface Options {
  runDir?: string;
  store: StoreKind;
  json?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('a scripted backtest over generated data: TSLA added at 11:00, MSFT removed at 14:00; then examples/sma-cross.ts over the same days, with its report (what npm start runs)')
    .option('--run-dir <dir>', 'the demo data goes in <run-dir>/demo-data (default: $TAPEDECK_RUN_DIR or .tapedeck)')
    .addOption(storeOption())
    .option('--json', 'print the summary as one JSON document (the story goes to stderr)')
    .action(runDemo);
}

async function runDemo(options: Options): Promise<void> {
  const say = options.json ? (line: string) => void process.stderr.write(`${line}\n`) : shellContext.print;
  const runDir = resolveRunDir(options.runDir);
  await assertWritableDir(runDir, RUN_DIR_ROLE);
  const dataDir = join(runDir, 'demo-data');
  const store = openBarStore(options.store, dataDir);
  const stored = await storedSymbols(store);
  if (SYMBOLS.every((symbol) => stored.includes(symbol))) {
    say(note(`Demo data: ${dataDir} (generated earlier)`));
  } else {
    say(note(`Generating the demo data (${SYMBOLS.join(', ')}, ${DATA_FROM} … ${DATE}, seed ${SEED}) into ${dataDir}…`));
    const { bars } = await generateDataset({ store, calendar: nyse, symbols: SYMBOLS, from: DATA_FROM, to: DATE, seed: SEED });
    say(note(`${plural(bars, 'bar')} written`));
  }

  const session = createSession({
    mode: 'backtest',
    date: DATE,
    symbols: [{ symbol: 'AAPL', streams: ['1m', '5m'] }, { symbol: 'MSFT', streams: ['1m', '5m'] }, 'NVDA'],
    store,
    // The demo steps the clock itself: a whole day in a moment, the same way every time.
    speed: 'manual',
  });
  const timeZone = session.calendar.timeZone;
  const at = (time: string) => Temporal.PlainDateTime.from(`${DATE}T${time}`).toZonedDateTime(timeZone).epochMilliseconds;
  const tell = (text: string) => say(`${exchangeTime(session.clock.now(), timeZone)}  ${text}`);

  // State changes are told as one chain per step: `streaming → paused → catchingUp → …`.
  let from = session.state;
  const states: string[] = [];
  session.on('state', ({ state }) => states.push(state));
  const tellStates = () => {
    if (states.length === 0) return;
    tell(note(`session: ${[from, ...states].join(' → ')}`));
    from = states.at(-1)!;
    states.length = 0;
  };
  // The strategy: it counts what it receives, and when the first TSLA bar it saw closed.
  let received = 0;
  let firstTslaClose: number | undefined;
  session.onBar((bar) => {
    received++;
    if (bar.symbol === 'TSLA') firstTslaClose ??= bar.t + INTERVAL_MS[bar.interval];
  });
  let lastPause: PauseRecord | undefined;
  session.on('pause', (event) => {
    if (event.phase === 'end') lastPause = event.record;
  });

  say(heading(`tapedeck demo · NYSE backtest of Friday ${DATE} · the clock is stepped by hand (speed 'manual')`));
  await session.start();
  tellStates();
  tell(ok('AAPL (1m, 5m), MSFT (1m, 5m) and NVDA (1m) are loaded and streaming'));

  await session.advanceTo(at('11:00'));
  tell("add TSLA (1m, 5m) — backtest mode: the stream pauses, TSLA's day is loaded and caught up to 11:00");
  const added = session.addSymbol('TSLA', { streams: ['1m', '5m'] });
  await session.advance(0);
  await added;
  tellStates();
  const caughtUp = session.listSymbols().find((s) => s.symbol === 'TSLA')?.caughtUp ?? {};
  tell(ok(`TSLA is active: caught up ${count(caughtUp['1m'] ?? 0)} 1m and ${count(caughtUp['5m'] ?? 0)} 5m bars in a ${duration(lastPause?.durationMs ?? 0)} pause; the strategy saw none of them, and streams on from here`));

  await session.advanceTo(at('14:00'));
  tell('remove MSFT — graceful: it streams to the end of the minute, then goes');
  const removed = session.removeSymbol('MSFT');
  await session.advance(1);
  await removed;
  tell(ok('MSFT removed'));

  await session.advanceTo(session.tradingSession.close);
  const summary = await session.done;
  tellStates();
  const firstTsla = firstTslaClose === undefined ? 'none' : exchangeTime(firstTslaClose, timeZone);
  say(note(`The strategy (an onBar listener) received ${count(received)} bars; the first TSLA bar it saw closed at ${firstTsla}, after the add.`));
  shellContext.print(options.json ? JSON.stringify(summary, null, 2) : `\n${renderSummary(summary, timeZone)}`);

  await runStrategy(store, join(runDir, 'demo-results'), say);
}

/**
 * The example strategy over the demo's days and symbols. It ships with the repository (it needs
 * the dev dependency trading-signals), so an installed tapedeck skips this part.
 */
async function runStrategy(store: BarStore, out: string, say: (line: string) => void): Promise<void> {
  // From the sources (cli/commands/) or the build (dist/, where every module sits at the top).
  const file = ['../examples/sma-cross.ts', '../../examples/sma-cross.ts'].map((up) => fileURLToPath(new URL(up, import.meta.url))).find((path) => existsSync(path));
  if (file === undefined) {
    say(note('examples/sma-cross.ts is not here (it comes with the repository, not the package): no strategy run.'));
    return;
  }
  const strategy = await loadStrategy(file);
  say('');
  say(heading(`Strategy run · examples/sma-cross.ts · ${DATA_FROM} → ${DATE} · ${SYMBOLS.join(', ')} · 100,000 cash`));
  const result = await runBacktest({ strategy, from: DATA_FROM, to: DATE, store, symbols: SYMBOLS, cash: 100_000, out, logger: silentLogger });
  say(metricsTable(result.metrics));
  say(ok(`Report: ${join(out, 'report.html')} (open it in a browser; it works offline)`));
  say(note(`Beside it: result.json, fills.csv, trades.csv, equity.csv`));
}
