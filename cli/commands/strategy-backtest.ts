import Table from 'cli-table3';
import path from 'node:path';
import { isBrokerError } from '../../broker/broker-error.js';
import type { CommissionModel } from '../../broker/commission.js';
import type { Metrics } from '../../metrics/compute-metrics.js';
import { silentLogger } from '../../model/logger.js';
import { isRunError } from '../../run/run-error.js';
import { metricRows, money } from '../../run/metric-rows.js';
import { runBacktest } from '../../run/run-backtest.js';
import type { BacktestResult, DaySummary } from '../../run/backtest-result.js';
import { assertStoreReadable, openBarStore, type StoreKind } from '../bar-store-option.js';
import { CliError, EXIT_USAGE } from '../cli-error.js';
import { fail, heading, note } from '../messages.js';
import { loadStrategy } from '../strategy-file.js';
import type { BacktestSpeed } from '../../actors/backtest-clock.js';
import { createControlServer, type ControlServer } from '../../control/control-server.js';
import { DEFAULT_RUN_DIR, resolveRunDir } from '../../control/run-file.js';
import type { RunningBacktest } from '../../run/running-backtest.js';
import { isJournalError } from '../../storage/journal/journal-error.js';
import { openRunJournal } from '../run-journal-hooks.js';
import { readRunPlan } from '../command-plan.js';
import { nyse } from '../../calendar/nyse.js';

export interface StrategyBacktestOptions {
  strategy: string;
  from?: string;
  to?: string;
  date?: string;
  symbols?: string[];
  param: Record<string, string>;
  cash: number;
  commission?: CommissionModel;
  slippage?: number;
  data: string;
  store: StoreKind;
  out?: string;
  json?: boolean;
  /** Where the run file of the control API goes (as for a session backtest). */
  runDir?: string;
  /** `max` unless given: results are the same at every speed. */
  speed?: BacktestSpeed;
  /** --journal, --resume, --force-new: ../run-journal-hooks.ts */
  journal?: boolean;
  resume?: boolean;
  forceNew?: boolean;
  /** A JSON list of { date, minute, op, symbol, streams?, immediate?, flatten? }: ../command-plan.ts */
  plan?: string;
}

/** `tapedeck backtest --strategy file`: a run over `--from..--to` (or the one `--date`), the metrics table at the end. */
export async function runStrategyBacktest(options: StrategyBacktestOptions): Promise<void> {
  const from = options.from ?? options.date;
  const to = options.to ?? options.from ?? options.date;
  if (!from || !to) throw new CliError('USAGE_ERROR', 'A strategy run needs --from and --to (or --date for one day). Add --help for usage.', { exitCode: EXIT_USAGE });
  await assertStoreReadable(options.store, options.data);
  const runDir = resolveRunDir(options.runDir);
  const strategy = await loadStrategy(options.strategy);
  const out = options.out ?? path.join('results', `${wallClockStamp()}-${strategy.name}`);
  const progress = options.json ? process.stderr : process.stdout;
  const onDay = (day: DaySummary, done: number, total: number) =>
    progress.write(`${note(`day ${done}/${total} ${day.date} · ${day.bars} bars · ${day.fills} fills · pnl ${money(day.pnl)} · equity ${money(day.endEquity)}`)}\n`);
  // Other terminals add and remove symbols through the control API, whichever day is running.
  // It is a convenience, not the run's purpose: when the run dir is taken by another session or
  // cannot be written, the run says so and goes on without it.
  let server: Promise<ControlServer> | undefined;
  const onStart = (run: RunningBacktest) => {
    server = createControlServer(run, { runDir });
    server.then(
      ({ url, runFile }) => progress.write(`${note(`control API ${url} (run file ${runFile}) · from another terminal: tapedeck data add-symbol TSLA${runDir === DEFAULT_RUN_DIR ? '' : ` --run-dir ${runDir}`}`)}\n`),
      (error: unknown) => progress.write(`${fail(`The control API could not start: ${error instanceof Error ? error.message : String(error)}; the run goes on without it.`)}\n`),
    );
  };
  let result: BacktestResult;
  try {
    const plan = options.plan === undefined ? undefined : await readRunPlan(options.plan, nyse, strategy.streams);
    const journal = await openRunJournal({ ...options, from, to, runDir }, strategy, (line) => progress.write(`${line}\n`));
    result = await runBacktest({
      strategy,
      from,
      to,
      store: openBarStore(options.store, options.data),
      ...(options.symbols ? { symbols: options.symbols } : {}),
      params: options.param,
      cash: options.cash,
      ...(options.commission ? { commission: options.commission } : {}),
      ...(options.slippage !== undefined ? { slippage: { bps: options.slippage } } : {}),
      out,
      logger: silentLogger,
      onDay: journal ? journal.onDay(onDay) : onDay,
      ...(journal ? { onDayStart: journal.onDayStart, checkpoints: journal.checkpoints, resume: journal.resume, commands: journal.commands, onCommand: journal.onCommand } : {}),
      ...(plan ? { plan } : {}),
      onStart,
      ...(options.speed !== undefined ? { speed: options.speed } : {}),
    });
    journal?.end();
  } catch (error) {
    if (isJournalError(error)) throw new CliError(error.code, error.message, error.code === 'JOURNAL_MISMATCH' ? { exitCode: EXIT_USAGE } : {});
    if (isRunError(error) || isBrokerError(error)) {
      const usage = isBrokerError(error, 'INVALID_CONFIG') || (isRunError(error) && error.code !== 'STRATEGY_FAILED');
      throw new CliError(error.code, error.message, usage ? { exitCode: EXIT_USAGE } : {});
    }
    throw error;
  } finally {
    await server?.then((started) => started.close(), () => undefined);
  }
  if (options.json) {
    const { config, params, metrics, days, extra } = result;
    process.stdout.write(`${JSON.stringify({ config, params, metrics, days, ...(extra === undefined ? {} : { extra }), out }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${heading(`${strategy.name} · ${result.config.from} → ${result.config.to} · ${result.days.length} trading days · ${result.config.symbols.join(', ')}`)}\n`);
  process.stdout.write(`${metricsTable(result.metrics)}\n`);
  process.stdout.write(`${note(`Results in ${out}: report.html, result.json, fills.csv, trades.csv, equity.csv`)}\n`);
}

export function metricsTable(metrics: Metrics): string {
  const table = new Table({ head: ['metric', 'value'], style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  table.push(...metricRows(metrics));
  return table.toString();
}

/** The default results folder's name: the one place a run uses the wall clock, outside its results. */
export function wallClockStamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, '').replaceAll(':', '').replace('T', '-');
}
