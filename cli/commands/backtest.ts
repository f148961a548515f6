import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import type { BacktestSpeed } from '../../actors/backtest-clock.js';
import type { Interval } from '../../model/bar.js';
import { assertRunDirFree, createControlServer } from '../../control/control-server.js';
import { localControl } from '../../control/local-control.js';
import type { InspectorServer } from '../../inspector/inspector-server.js';
import { DEFAULT_RUN_DIR, resolveRunDir } from '../../control/run-file.js';
import { createSession } from '../../session/create-session.js';
import type { Logger } from '../../model/logger.js';
import type { SessionSummary } from '../../model/session-summary.js';
import { assertStoreReadable, openBarStore, storeOption, type StoreKind } from '../bar-store-option.js';
import { nyse } from '../../calendar/nyse.js';
import { readCommandPlan } from '../command-plan.js';
import { recordFinalState } from '../final-state.js';
import { openJournalOption } from '../journal-option.js';
import { exchangeTime } from '../time-format.js';
import { lineDisplay, progressBarDisplay, type BacktestDisplay } from '../backtest-display.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';
import { exitForSymbols } from '../run-outcome.js';
import { assertWritableDir, RUN_DIR_ROLE } from '../writable-dir.js';
import { logSessionEvents } from '../event-lines.js';
import { fail, note, symbolList } from '../messages.js';
import { parsePort, parseSpeed, parseStreams, parseSymbols } from '../option-parsers.js';
import { ProgressMeter } from '../progress-meter.js';
import { renderSummary } from '../summary-table.js';
import { collectParam, parseAmount, parseCommission } from '../strategy-option-parsers.js';
import type { StrategyBacktestOptions } from './strategy-backtest.js';

/** A minute a second: a session run by hand is watched, and driven from other terminals. */
const DEFAULT_SESSION_SPEED: BacktestSpeed = 60;

interface Options extends Omit<StrategyBacktestOptions, 'strategy' | 'date' | 'symbols'> {
  strategy?: string;
  date?: string;
  symbols?: string[];
  streams: Interval[];
  data: string;
  store: StoreKind;
  runDir?: string;
  journal?: boolean;
  resume?: boolean;
  forceNew?: boolean;
  plan?: string;
  stateOut?: string;
  json?: boolean;
  inspect?: boolean;
  inspectPort?: number;
  stately?: string | true;
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('run a backtest session over the bar store (other terminals can add and remove symbols while it runs), or a strategy over a date range')
    .option('--date <YYYY-MM-DD>', 'the exchange-local trading day')
    .option('--symbols <list>', 'symbols to trade from the open, e.g. AAPL,MSFT (with --strategy: instead of its own)', parseSymbols)
    .option('--strategy <file>', "a strategy file (.ts or .js) whose default export is defineStrategy({ … }): runs it with the simulated broker")
    .option('--from <YYYY-MM-DD>', 'with --strategy: the first trading day')
    .option('--to <YYYY-MM-DD>', 'with --strategy: the last trading day (default: --from)')
    .option('--param <name=value>', 'with --strategy: override a strategy param (repeatable)', collectParam, {} as Record<string, string>)
    .option('--cash <n>', 'with --strategy: starting cash', parseAmount, 100_000)
    .option('--commission <model>', 'with --strategy: e.g. 0.005/share,min=1 or 0.1%', parseCommission)
    .option('--slippage <bps>', 'with --strategy: slippage in basis points, against the trader', parseAmount)
    .option('--out <dir>', 'with --strategy: results folder (default results/<date-time>-<name>/)')
    .option('--streams <list>', 'intervals to stream for each symbol', parseStreams, ['1m'] as Interval[])
    .option('--speed <n|max>', 'simulated seconds per real second (60: a minute a second), or max (default: 60; with --strategy: max)', parseSpeed)
    .option('--data <dir>', 'bar store directory', './data')
    .addOption(storeOption())
    .option('--run-dir <dir>', 'where to write the run file and journal (default: $TAPEDECK_RUN_DIR or .tapedeck)')
    .option('--journal', 'record the session (config, every add and removal with its minute, progress) in <run-dir>/journal.jsonl')
    .option('--resume', "continue the interrupted run the journal holds: its day runs again at full speed with each command at its minute, then goes on at --speed (implies --journal)")
    .option('--force-new', 'start a new journal even if an interrupted run left one (implies --journal)')
    .option('--plan <file>', 'make adds and removals at given minutes: a JSON list of { minute (after the open), op: add|remove, symbol, streams?, immediate? } (with --strategy: also date, and flatten?)')
    .option('--state-out <file>', 'write the onBar log and the session data at the end to <file> as digests, to compare runs')
    .option('--json', 'print the summary as one JSON document (progress and events go to stderr)')
    .option('--inspect', 'serve the visual inspector (statecharts, symbols, events) on 127.0.0.1 and print its URL')
    .option('--inspect-port <port>', 'port for --inspect (default: a free one); implies --inspect', parsePort)
    .option('--stately [ws-url]', "also send the session to Stately's inspector over WebSocket (default ws://localhost:8080; its viewer is online)")
    .action(runBacktest);
}

async function runBacktest(options: Options): Promise<void> {
  if (options.strategy !== undefined) return (await import('./strategy-backtest.js')).runStrategyBacktest({ ...options, strategy: options.strategy });
  const speed = options.speed ?? DEFAULT_SESSION_SPEED;
  if (options.date === undefined || options.symbols === undefined) {
    throw new CliError('USAGE_ERROR', `A session backtest needs --date and --symbols (or --strategy <file> to run a strategy). Add --help for usage.`, { exitCode: EXIT_USAGE });
  }
  const runDir = resolveRunDir(options.runDir);
  const json = options.json ?? false;
  await assertStoreReadable(options.store, options.data);
  await assertWritableDir(runDir, RUN_DIR_ROLE);
  const events = json ? process.stderr : process.stdout;
  // Before the journal is opened: opening it would replace the journal of a session running there.
  await assertRunDirFree(runDir);
  const journal = await openJournalOption(runDir, options);
  const open = nyse.session(options.date)?.open;
  const plan = options.plan !== undefined && open !== undefined ? await readCommandPlan(options.plan, open) : undefined;

  // The display is chosen once the session exists; until then (and for the logger) lines are plain.
  let display: BacktestDisplay = lineDisplay(events);
  const logger: Logger = {
    info: (message) => display.log(note(message)),
    // The session's only warnings are failed symbols, which the event lines already report.
    warn: () => undefined,
    error: (message, error) => display.log(fail(`${message}${error instanceof Error ? ` ${error.message}` : ''}`)),
  };
  const session = createSession({
    mode: 'backtest',
    date: options.date,
    symbols: options.symbols.map((symbol) => ({ symbol, streams: options.streams })),
    store: openBarStore(options.store, options.data),
    speed,
    logger,
    ...(journal ? { recorder: journal, resume: options.resume ?? false } : {}),
    ...(plan ? { plan } : {}),
  });
  const writeFinalState = options.stateOut === undefined ? undefined : recordFinalState(session);
  const server = await createControlServer(session, { runDir });
  let inspector: InspectorServer | undefined;
  try {
    if (options.inspect || options.inspectPort !== undefined) {
      inspector = await (await import('../../inspector/inspector-server.js')).createInspectorServer(session, { port: options.inspectPort ?? 0, control: { port: server.port, token: server.token }, logger });
    }
  } catch (error) {
    await server.close();
    throw new CliError('INSPECTOR_FAILED', (error as Error).message);
  }
  // Loaded only when asked for: @statelyai/inspect and its WebSocket client cost ~33 ms to import.
  const stately = options.stately
    ? (await import('../../inspector/stately-bridge.js')).connectStately(session, options.stately === true ? {} : { url: options.stately })
    : undefined;
  const meter = new ProgressMeter(session);
  let quitting = false;
  const quit = () => {
    if (quitting) {
      // A second Ctrl-C: the user does not want to wait for the close. No stale run file left behind.
      rmSync(server.runFile, { force: true });
      process.exit(130);
    }
    quitting = true;
    display.log(note('Stopping the session… (Ctrl-C again to quit at once)'));
    void session.stop();
  };

  const interactive = !json && process.stdin.isTTY && process.stdout.isTTY;
  if (interactive) display = (await import('../interactive-prompt.js')).startPrompt({ control: localControl(session), onQuit: quit });
  else if (!json && process.stdout.isTTY) display = progressBarDisplay(process.stdout, meter.snapshot());
  const stopEvents = logSessionEvents(session, (line) => display.log(line));
  const ticker = setInterval(() => display.update(meter.snapshot()), 250);
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  let summary: SessionSummary;
  try {
    display.log(note(`tapedeck backtest ${session.tradingSession.date} · ${symbolList(options.symbols)} (${options.streams.join(', ')}) · speed ${speed} · control API ${server.url} (run file ${server.runFile})`));
    if (inspector) display.log(note(`Inspector: ${inspector.url} — open it in a browser`));
    if (stately) display.log(note(`Sending the session to Stately's inspector at ${options.stately === true ? 'ws://localhost:8080' : options.stately}`));
    const replay = options.resume ? journal?.record : undefined;
    const time = (ms: number) => exchangeTime(ms, session.calendar.timeZone);
    const startedAt = performance.now();
    if (replay) {
      display.log(note(`Resuming the run of ${replay.config?.date} from ${journal!.file}: loading its symbols`));
      // The first pause loads the configured symbols; the replay runs from its end.
      const stopLoading = session.on('pause', (event) => {
        if (event.phase !== 'end') return;
        stopLoading();
        display.log(note(`Replaying ${replay.commands.length} commands up to ${replay.reached === null ? 'the open' : time(replay.reached)} at full speed`));
      });
    }
    await session.start();
    if (replay) display.log(note(`Caught up to ${time(session.clock.now())}: ${replay.commands.length} commands replayed in ${Math.round(performance.now() - startedAt)} ms; going on at speed ${options.speed}`));
    if (session.isRunning) display.log(note(`Streaming. From another terminal: tapedeck data add-symbol TSLA${runDir === DEFAULT_RUN_DIR ? '' : ` --run-dir ${runDir}`}${interactive ? ' — or type help here' : ''}`));
    summary = await session.done;
    if (writeFinalState) await writeFinalState(options.stateOut!);
  } finally {
    finish();
    stately?.stop();
    await inspector?.close();
    await server.close();
  }
  process.stdout.write(`${json ? JSON.stringify(summary, null, 2) : renderSummary(summary, session.calendar.timeZone)}\n`);
  exitForSymbols(summary.symbols, json);

  function finish(): void {
    clearInterval(ticker);
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    stopEvents();
    display.update(meter.snapshot());
    meter.dispose();
    display.stop();
  }
}
