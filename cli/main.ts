#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { CliError, EXIT_USAGE, errorCodeOf, exitCodeOf } from './cli-error.js';
import { shellContext } from './command-context.js';
import { registerBacktest } from './commands/backtest.js';
import { registerCalendar } from './commands/calendar.js';
import { registerDataGenerate } from './commands/data-generate.js';
import { registerDataImport } from './commands/data-import.js';
import { registerDemo } from './commands/demo.js';
import { registerLive } from './commands/live.js';
import { registerControlCommands } from './control-commands.js';
import { errorLine } from './messages.js';

// Output piped into a reader that went away (`tapedeck … | head`): nothing left to say.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('tapedeck')
  .description('Run trading sessions, and add, remove and list symbols while they run.')
  // picocolors reads --no-color from argv itself; declared here so commander accepts it.
  .option('--no-color', 'no colors (also NO_COLOR=1)')
  .exitOverride()
  .showHelpAfterError('(add --help for usage)')
  .configureOutput({ outputError: (text, write) => write(pc.red(text)) });

registerBacktest(program);
registerLive(program);
const { data } = registerControlCommands(program, shellContext);
registerDataImport(data);
registerDataGenerate(data);
registerCalendar(program);
registerDemo(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  report(error);
}

/** One line on stderr (or a JSON document on stdout with --json) and the exit code; the stack only with TAPEDECK_DEBUG. */
function report(error: unknown): void {
  if (error instanceof CommanderError) {
    // commander has printed the usage error (or the help, exit code 0) itself.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
    return;
  }
  process.exitCode = exitCodeOf(error);
  if (process.env['TAPEDECK_DEBUG']) console.error(error);
  if (error instanceof CliError && error.silent) return;
  if (process.argv.includes('--json')) {
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(`${JSON.stringify({ error: { code: errorCodeOf(error), message } }, null, 2)}\n`);
  } else {
    process.stderr.write(`${errorLine(error)}\n`);
  }
}
