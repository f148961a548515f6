import { type Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { nyse } from '../../calendar/nyse.js';
import { parseTradingDate } from '../../calendar/trading-date.js';
import { assertRunDirFree, createControlServer } from '../../control/control-server.js';
import { DEFAULT_RUN_DIR, resolveRunDir } from '../../control/run-file.js';
import type { Interval } from '../../model/bar.js';
import { acceleratedClock, wallClock } from '../../data-plane/live-clock.js';
import { AlpacaFeed } from '../../feeds/alpaca/alpaca-feed.js';
import type { LiveFeed } from '../../model/live-feed.js';
import { ReplayFeed } from '../../feeds/replay-feed.js';
import { createSession } from '../../session/create-session.js';
import type { LiveSessionSummary } from '../../session/live-mode.js';
import type { Logger } from '../../model/logger.js';
import { assertStoreReadable, openBarStore, storeOption, type StoreKind } from '../bar-store-option.js';
import { CliError } from '../cli-error.js';
import { exitForSymbols } from '../run-outcome.js';
import { assertWritableDir, RUN_DIR_ROLE } from '../writable-dir.js';
import { colorStatus, fail, note } from '../messages.js';
import { parseStreams, parseSymbols } from '../option-parsers.js';
import { renderSummary } from '../summary-table.js';
import { exchangeTime } from '../time-format.js';
import { openJournalOption } from '../journal-option.js';
import { recordLiveBars } from '../../storage/bars/live-bar-recorder.js';

interface Options {
  feed: 'alpaca' | 'replay';
  symbols: string[];
  streams: Interval[];
  data: string;
  store: StoreKind;
  trailingDays: number;
  speed: number;
  date?: string;
  alpacaFeed: 'iex' | 'sip';
  runDir?: string;
  journal?: boolean;
  resume?: boolean;
  forceNew?: boolean;
  record?: boolean;
  json?: boolean;
}

function parseFeed(value: string): 'alpaca' | 'replay' {
  if (value !== 'alpaca' && value !== 'replay') throw new InvalidArgumentError('Use alpaca or replay.');
  return value;
}

function parseWhole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('Use a whole number >= 0.');
  return n;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Use a number > 0 (1 = real time, 60 = a minute a second).');
  return n;
}

export function registerLive(program: Command): void {
  program
    .command('live')
    .description('run a live session on Alpaca (keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY) or on a replay of stored bars; other terminals add and remove symbols while it runs')
    .requiredOption('--feed <alpaca|replay>', 'where bars come from', parseFeed)
    .requiredOption('--symbols <list>', 'symbols to stream, e.g. AAPL,MSFT', parseSymbols)
    .option('--streams <list>', 'intervals to stream for each symbol', parseStreams, ['1m'] as Interval[])
    .option('--data <dir>', 'bar store directory (replay: the bars played and their history)', './data')
    .addOption(storeOption())
    .option('--trailing-days <n>', 'earlier trading days loaded with each symbol', parseWhole, 1)
    .option('--speed <n>', 'replay only: clock speed (1 = real time, 60 = a minute a second)', parsePositive, 60)
    .option('--date <YYYY-MM-DD>', "replay only: the day to replay from its open (default: today's open)")
    .option('--alpaca-feed <iex|sip>', 'alpaca only: iex (free) or sip (paid subscription)', 'iex')
    .option('--run-dir <dir>', 'where to write the run file and journal (default: $TAPEDECK_RUN_DIR or .tapedeck)')
    .option('--journal', 'record the session (config, every add and removal, progress) in <run-dir>/journal.jsonl')
    .option('--resume', "continue the interrupted session the journal holds: today so far is loaded again and the journal's symbols added back (implies --journal)")
    .option('--force-new', 'start a new journal even if an interrupted session left one (implies --journal)')
    .option('--record', 'write the live 1m bars into the --data store as they arrive, so `tapedeck backtest --date` replays the day (default with --feed alpaca)')
    .option('--no-record', 'do not write the live bars into the store')
    .option('--json', 'print the summary as one JSON document (events go to stderr)')
    .action(runLive);
}

async function runLive(options: Options): Promise<void> {
  const runDir = resolveRunDir(options.runDir);
  const events = options.json ? process.stderr : process.stdout;
  const log = (line: string) => events.write(`${line}\n`);
  await assertWritableDir(runDir, RUN_DIR_ROLE);
  await assertRunDirFree(runDir);
  const store = openBarStore(options.store, options.data);
  let feed: LiveFeed;
  let clock = wallClock;
  // A fast replay polls its store and checks the clock more often, about once a simulated second.
  const replayPollMs = Math.max(2, Math.round(1000 / options.speed));
  if (options.feed === 'replay') {
    await assertStoreReadable(options.store, options.data);
    const date = options.date ? parseTradingDate(options.date).toString() : nyse.dateOf(Date.now());
    const day = nyse.session(date);
    if (!day) throw new CliError('NOT_A_TRADING_DAY', `${date} is not a trading day; pick one with --date (tapedeck calendar lists them).`);
    clock = acceleratedClock(options.date ? day.open : Math.max(Date.now(), day.open), options.speed);
    feed = new ReplayFeed({ store, clock, pollMs: replayPollMs });
  } else {
    if (options.alpacaFeed !== 'iex' && options.alpacaFeed !== 'sip') throw new CliError('BAD_OPTION', '--alpaca-feed is iex or sip.');
    feed = new AlpacaFeed({ feed: options.alpacaFeed });
  }
  const logger: Logger = { info: (m) => log(note(m)), warn: () => undefined, error: (m) => log(fail(m)) };
  const journal = await openJournalOption(runDir, options);
  const session = createSession({
    mode: 'live',
    feed,
    clock,
    store,
    trailingDays: options.trailingDays,
    symbols: options.symbols.map((symbol) => ({ symbol, streams: options.streams })),
    tickMs: options.feed === 'replay' ? replayPollMs : 250,
    // The last minute's bar must have a few of the feed's polls to arrive before the session closes.
    ...(options.feed === 'replay' ? { barGraceMs: Math.max(5_000, 3 * replayPollMs * options.speed) } : {}),
    ...(journal ? { recorder: journal, resume: options.resume ?? false } : {}),
    logger,
  });
  const recording = (options.record ?? options.feed === 'alpaca') ? recordLiveBars(session, store, { logger }) : undefined;
  const server = await createControlServer(session, { runDir });
  const stamp = (text: string) => `${pc.dim(exchangeTime(session.clock.now(), session.calendar.timeZone))} ${text}`;
  session.on('symbol', ({ symbol, status, error }) => log(stamp(`${symbol} ${colorStatus(status)}${error ? ` — ${error.message}` : ''}`)));
  session.on('feed', (status) => {
    if (status.state === 'connected') log(stamp(`${feed.name} feed ${pc.green(status.resumed ? 'reconnected: filling the gap' : 'connected')}`));
    if (status.state === 'disconnected') log(stamp(`${feed.name} feed ${pc.yellow('disconnected')} (${status.reason}); retrying in ${(status.retryInMs / 1000).toFixed(1)} s`));
    if (status.state === 'warning') log(stamp(`${feed.name} feed: ${pc.yellow(status.message)}`));
  });
  let bars = 0;
  session.onBarAt(() => bars++);
  const ticker = options.json ? undefined : setInterval(() => log(stamp(`${bars} bars so far`)), 10_000);
  const quit = () => void session.stop();
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  let summary: LiveSessionSummary;
  try {
    log(note(`tapedeck live · ${feed.name} · ${options.symbols.join(', ')} (${options.streams.join(', ')}) · control API ${server.url} (run file ${server.runFile})`));
    if (options.resume && journal) log(note(`Resuming the session of ${journal.record.config?.date} from ${journal.file}: loading today so far and adding its symbols back`));
    if (recording) log(note(`Recording the live bars into ${options.data}`));
    await session.start();
    if (session.isRunning) log(note(`${session.state === 'waitingForOpen' ? 'Waiting for the open.' : 'Streaming.'} From another terminal: tapedeck data add-symbol TSLA${runDir === DEFAULT_RUN_DIR ? '' : ` --run-dir ${runDir}`}`));
    summary = await session.done;
  } finally {
    await recording?.close();
    clearInterval(ticker);
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    await server.close();
  }
  process.stdout.write(`${options.json ? JSON.stringify(summary, null, 2) : renderSummary(summary, session.calendar.timeZone)}\n`);
  if (summary.endedBy === 'feedFailed') throw new CliError(summary.feed.error?.code ?? 'FEED_FAILED', `The ${feed.name} feed failed: ${summary.feed.error?.message ?? 'unknown reason'}`);
  exitForSymbols(summary.symbols, options.json ?? false);
}
