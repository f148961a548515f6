#!/usr/bin/env node
import './color-setting.js';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_USAGE, errorCodeOf, exitCodeOf } from './cli-error.js';
import { dataGroup } from './command-groups.js';
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

// Each command's module, imported only when that command runs: together they load the session,
// the live feeds, the inspector, the importer and the strategy runner, ~0.2 s a user would wait
// before any command did anything. `--help`, `help` or an unknown name loads them all.
// `sweep` and `worker` share one module.
const registerSweep = async () => (await import('./commands/sweep.js')).registerSweep(program);
const topCommands = new Map<string, () => Promise<void>>([
  ['backtest', async () => (await import('./commands/backtest.js')).registerBacktest(program)],
  ['live', async () => (await import('./commands/live.js')).registerLive(program)],
  ['sweep', registerSweep],
  ['worker', registerSweep],
  ['calendar', async () => (await import('./commands/calendar.js')).registerCalendar(program)],
  ['demo', async () => (await import('./commands/demo.js')).registerDemo(program)],
]);
const registerCatalog = async (data: Command) => (await import('./commands/data-catalog.js')).registerDataCatalog(data);
const dataCommands = new Map<string, (data: Command) => Promise<void>>([
  ['import', async (data) => (await import('./commands/data-import.js')).registerDataImport(data)],
  ['generate', async (data) => (await import('./commands/data-generate.js')).registerDataGenerate(data)],
  ['list', registerCatalog],
  ['info', registerCatalog],
  ['migrate', async (data) => (await import('./commands/data-migrate.js')).registerDataMigrate(data)],
  ['export', async (data) => (await import('./commands/data-export.js')).registerDataExport(data)],
]);

const [name, subName] = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const top = name === undefined ? undefined : topCommands.get(name);
// `--version` alone is answered by the program itself: no command needs loading.
const versionOnly = name === undefined && process.argv.slice(2).some((arg) => arg === '-V' || arg === '--version');
if (top) {
  await top();
} else if (name === 'data' || name === 'session') {
  const dataCommand = name === 'data' && subName !== undefined ? dataCommands.get(subName) : undefined;
  // A data command alone: the session's control commands load the calendar, the journal and
  // the tables (~30 ms) that an import or an export never uses.
  if (dataCommand) await dataCommand(dataGroup(program));
  else {
    const { data } = await registerShellControlCommands();
    if (name === 'data' && !data.commands.some((command) => command.name() === subName)) await registerDataCommands(data);
  }
} else if (!versionOnly) {
  // In the order `--help` lists them.
  await topCommands.get('backtest')!();
  await topCommands.get('live')!();
  await registerSweep();
  await registerDataCommands((await registerShellControlCommands()).data);
  await topCommands.get('calendar')!();
  await topCommands.get('demo')!();
}

async function registerShellControlCommands(): Promise<{ data: Command }> {
  const [{ registerControlCommands }, { shellContext }] = await Promise.all([import('./control-commands.js'), import('./command-context.js')]);
  return registerControlCommands(program, shellContext);
}

async function registerDataCommands(data: Command): Promise<void> {
  for (const register of new Set(dataCommands.values())) await register(data);
}

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
