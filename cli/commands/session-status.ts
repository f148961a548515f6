import type { Command } from 'commander';
import { resolveRunDir } from '../../control/run-file.js';
import type { CommandContext } from '../command-context.js';
import { renderStatus } from '../status-view.js';

interface Options {
  json?: boolean;
  runDir?: string;
}

export function registerSessionStatus(session: Command, context: CommandContext): Command {
  return session
    .command('status')
    .description("the running session's state, clock, symbols and pauses")
    .action(async (options: Options) => {
      const report = await (await context.control(resolveRunDir(options.runDir))).status();
      context.print(options.json ? JSON.stringify(report, null, 2) : renderStatus(report));
    });
}
