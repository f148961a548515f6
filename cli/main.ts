#!/usr/bin/env node
import './color-setting.js';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_USAGE, errorCodeOf, exitCodeOf } from './cli-error.js';
import { shellContext } from './command-context.js';
import { registerBacktest } from './commands/backtest.js';
import { registerCalendar } from './commands/calendar.js';
import { registerDataCatalog } from './commands/data-catalog.js';
import { registerDataMigrate } from './commands/data-migrate.js';
import { registerDataExport } from './commands/data-export.js';
import { registerDataGenerate } from './commands/data-generate.js';
import { registerDataImport } from './commands/data-import.js';
import { registerDemo } from './commands/demo.js';
import { registerLive } from './commands/live.js';
import { registerSweep } from './commands/sweep.js';
import { registerControlCommands } from './control-commands.js';
import { errorLine } from './messages.js';
import { packageVersion } from './package-version.js';

// Output piped into a reader that went away (`tapedeck … | head`): nothing left to say.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('tapedeck')
  .description('Run trading sessions, and add, remove and list symbols while they run.')
  // picocolors reads --no-color from argv itself; declared here so commander accepts it.
  .version(packageVersion(), '-V, --version', 'print the version')
  .option('--no-color', 'no colors (also NO_COLOR=1 or FORCE_COLOR=0)')
  .exitOverride()
  // commander's own errors (unknown option, missing argument, bad value) in the CLI's style: one line.
  .configureOutput({ outputError: (text, write) => write(`${errorLine(usageMessage(text))}\n`) });

registerBacktest(program);
registerLive(program);
registerSweep(program);
const { data } = registerControlCommands(program, shellContext);
registerDataImport(data);
registerDataGenerate(data);
registerDataCatalog(data);
registerDataMigrate(data);
registerDataExport(data);
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
    // commander has printed the usage error (or the help or version, exit code 0) itself.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error.exitCode !== 0 && process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ error: { code: 'USAGE_ERROR', message: usageMessage(error.message) } }, null, 2)}\n`);
    }
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

/** `error: unknown option '--x'` as `Unknown option '--x'. Add --help for usage.` */
function usageMessage(text: string): string {
  const message = text.trim().replace(/^error: /, '');
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'} Add --help for usage.`;
}
