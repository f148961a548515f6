import type { Command } from 'commander';
import { resolveRunDir } from '../../control/run-file.js';
import type { CommandContext } from '../command-context.js';
import { removeSymbolLines } from '../messages.js';
import { parseSymbol } from '../option-parsers.js';

interface Options {
  immediate?: boolean;
  wait?: boolean;
  flatten?: boolean;
  json?: boolean;
  runDir?: string;
}

export function registerRemoveSymbol(data: Command, context: CommandContext): Command {
  return data
    .command('remove-symbol')
    .description('remove a symbol from the running session (graceful: it drains first)')
    .argument('<SYMBOL>', 'ticker symbol, e.g. TSLA', parseSymbol)
    .option('--immediate', 'drop it at once instead of draining')
    .option('--wait', 'wait until it is removed')
    .option('--flatten', 'in a strategy run: close its position at the last close (else a symbol with a position is refused)')
    .action(async (symbol: string, options: Options) => {
      const control = await context.control(resolveRunDir(options.runDir));
      const report = await control.removeSymbol({ symbol, immediate: options.immediate ?? false, wait: options.wait ?? false, flatten: options.flatten ?? false });
      context.print(options.json ? JSON.stringify(report, null, 2) : removeSymbolLines(report).join('\n'));
    });
}
