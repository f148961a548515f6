import { readFile } from 'node:fs/promises';
import type { MarketCalendar } from '../calendar/market-calendar.js';
import { MINUTE_MS } from '../model/bar.js';
import type { RunPlannedCommand } from '../run/run-command.js';
import type { PlannedCommand } from '../session/session-options.js';
import { CliError, EXIT_USAGE } from './cli-error.js';

/** One line of a `--plan` file: a command, made `minute` minutes after the open (of `date`, in a strategy run's plan). */
interface PlanLine {
  date?: string;
  minute: number;
  op: 'add' | 'remove';
  symbol: string;
  streams?: string[];
  immediate?: boolean;
  flatten?: boolean;
}

/**
 * Reads a `--plan` file: a JSON list of `{ minute, op: 'add' | 'remove', symbol, streams?,
 * immediate? }`, `minute` counted from the open. The session checks symbols and streams as it
 * checks any add or removal.
 */
export async function readCommandPlan(file: string, open: number): Promise<PlannedCommand[]> {
  return (await readPlanLines(file)).map((line) => {
    const sim = open + line.minute * MINUTE_MS;
    if (line.op === 'add') return { sim, command: { op: 'add', symbol: line.symbol, streams: (line.streams ?? ['1m']) as never } };
    return { sim, command: { op: line.op, symbol: line.symbol, immediate: line.immediate === true } };
  });
}

/**
 * Reads a strategy run's `--plan` file: the same lines with the day each is made on, `{ date,
 * minute, op, symbol, streams?, immediate?, flatten? }`. An add without `streams` delivers what
 * the strategy declares, as from the control API.
 */
export async function readRunPlan(file: string, calendar: MarketCalendar, defaultStreams: readonly string[]): Promise<RunPlannedCommand[]> {
  return (await readPlanLines(file)).map((line, index) => {
    const open = line.date === undefined ? undefined : calendar.session(line.date)?.open;
    if (open === undefined) throw new CliError('INVALID_PLAN', `Plan ${file}, entry ${index + 1}: "date" must be a trading day YYYY-MM-DD of the run, got ${JSON.stringify(line.date)}.`, { exitCode: EXIT_USAGE });
    const sim = open + line.minute * MINUTE_MS;
    const date = line.date!;
    if (line.op === 'add') return { date, sim, command: { op: 'add', symbol: line.symbol, streams: [...(line.streams ?? defaultStreams)] as never } };
    return { date, sim, command: { op: line.op, symbol: line.symbol, immediate: line.immediate === true, flatten: line.flatten === true } };
  });
}

async function readPlanLines(file: string): Promise<PlanLine[]> {
  let lines: unknown;
  try {
    lines = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError('INVALID_PLAN', `Cannot read the plan ${file}: ${(error as Error).message}`, { exitCode: EXIT_USAGE });
  }
  if (!Array.isArray(lines)) throw new CliError('INVALID_PLAN', `The plan ${file} must be a JSON list of { minute, op, symbol, streams?, immediate? }.`, { exitCode: EXIT_USAGE });
  return lines.map((line: PlanLine, index) => {
    if (!Number.isInteger(line?.minute) || line.minute < 0) {
      throw new CliError('INVALID_PLAN', `Plan ${file}, entry ${index + 1}: "minute" must be a whole number of minutes after the open.`, { exitCode: EXIT_USAGE });
    }
    return line;
  });
}
