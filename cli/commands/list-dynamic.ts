import type { Command } from 'commander';
import { ControlError } from '../../control/control-error.js';
import { resolveRunDir } from '../../control/run-file.js';
import type { CommandContext } from '../command-context.js';
import { readJournalReport } from '../journal-report.js';
import { note, plural } from '../messages.js';
import { dynamicTable } from '../symbol-tables.js';

interface Options {
  json?: boolean;
  runDir?: string;
}

/** Nothing serves the run directory: what a journal there recorded is the next best answer. */
const NOT_SERVED = new Set(['NO_SESSION', 'STALE_RUN_FILE']);

export function registerListDynamic(data: Command, context: CommandContext): Command {
  return data
    .command('list-dynamic')
    .description("symbols added while the session runs, with their status (or, with no session running, the journal's)")
    .action(async (options: Options) => {
      const runDir = resolveRunDir(options.runDir);
      try {
        const report = await (await context.control(runDir)).listDynamic();
        if (options.json) return context.print(JSON.stringify({ source: 'session', ...report }, null, 2));
        context.print(dynamicTable(report.symbols, report.timeZone));
        context.print(`Total: ${plural(report.symbols.length, 'symbol')}`);
      } catch (error) {
        if (!(error instanceof ControlError && NOT_SERVED.has(error.code))) throw error;
        const journal = await readJournalReport(runDir);
        if (!journal) throw error;
        if (options.json) return context.print(JSON.stringify({ source: 'journal', ...journal }, null, 2));
        context.print(note(journal.description));
        context.print(dynamicTable(journal.symbols, journal.timeZone));
        context.print(`Total: ${plural(journal.symbols.length, 'symbol')}`);
      }
    });
}
