import type { Command } from 'commander';
import type { CommandContext } from './command-context.js';
import { dataGroup, sessionGroup } from './command-groups.js';
import { registerAddSymbol } from './commands/add-symbol.js';
import { registerListDynamic } from './commands/list-dynamic.js';
import { registerRemoveSymbol } from './commands/remove-symbol.js';
import { registerSessionStatus } from './commands/session-status.js';

/**
 * The commands that act on a running session. The shell's program and the backtest's prompt both
 * register them, each with its own context, so they parse and answer the same way in both places.
 */
export function registerControlCommands(program: Command, context: CommandContext): { data: Command; session: Command } {
  const data = dataGroup(program);
  const session = sessionGroup(program);
  const commands = [registerAddSymbol(data, context), registerRemoveSymbol(data, context), registerListDynamic(data, context), registerSessionStatus(session, context)];
  for (const command of commands) {
    command
      .option('--json', 'print one JSON document, for scripts')
      .option('--run-dir <dir>', 'where the session wrote its run file (default: $TAPEDECK_RUN_DIR or .tapedeck)');
  }
  return { data, session };
}
