import type { Command } from 'commander';
import type { Interval } from '../../model/bar.js';
import { resolveRunDir } from '../../control/run-file.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { addFailureMessage, addSymbolLines } from '../messages.js';
import { parseStreams, parseSymbol } from '../option-parsers.js';

interface Options {
  streams?: Interval[];
  wait?: boolean;
  json?: boolean;
  runDir?: string;
}

export function registerAddSymbol(data: Command, context: CommandContext): Command {
  return data
    .command('add-symbol')
    .description('add a symbol to the running session')
    .argument('<SYMBOL>', 'ticker symbol, e.g. TSLA', parseSymbol)
    .option('--streams <list>', 'intervals to stream, e.g. 1m,5m (default: 1m)', parseStreams)
    .option('--wait', 'wait until the symbol is active, or failed, and say which')
    .action(async (symbol: string, options: Options) => {
      const control = await context.control(resolveRunDir(options.runDir));
      const report = await control.addSymbol({ symbol, ...(options.streams ? { streams: options.streams } : {}), wait: options.wait ?? false });
      const failed = report.waited && report.status !== 'active';
      if (options.json) context.print(JSON.stringify(report, null, 2));
      else if (!failed) context.print(addSymbolLines(report).join('\n'));
      if (failed) throw new CliError(report.error?.code ?? 'ADD_FAILED', addFailureMessage(report), { silent: options.json ?? false });
    });
}
