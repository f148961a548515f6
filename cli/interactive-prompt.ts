import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { SessionControl } from '../control/session-control.js';
import { progressText, type BacktestDisplay } from './backtest-display.js';
import type { CommandContext } from './command-context.js';
import { registerControlCommands } from './control-commands.js';
import { errorLine } from './messages.js';
import type { ProgressSnapshot } from './progress-meter.js';

const COMMANDS = ['data add-symbol ', 'data remove-symbol ', 'data list-dynamic', 'session status', 'help', 'quit'];

const HELP = `Commands (add --json for JSON, --help for details):
  data add-symbol <SYMBOL> [--streams 1m,5m] [--wait]
  data remove-symbol <SYMBOL> [--immediate] [--wait]
  data list-dynamic
  session status
  help
  quit                 stop the session and print the summary (also Ctrl-C, Ctrl-D)`;

export interface PromptOptions {
  control: SessionControl;
  /** Called on `quit`, Ctrl-C or Ctrl-D. */
  onQuit(): void;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

/**
 * The prompt in a backtest's own terminal: the same `data …` and `session …` commands as the
 * shell, acting on the session directly. The progress shows in the prompt itself, because a
 * progress bar redrawing its line would fight readline for the cursor.
 */
export function startPrompt({ control, onQuit, input = process.stdin, output = process.stdout }: PromptOptions): BacktestDisplay {
  const rl = createInterface({
    input,
    output,
    terminal: true,
    historySize: 200,
    completer: (line: string) => {
      const hits = COMMANDS.filter((command) => command.startsWith(line));
      return [hits.length > 0 ? hits : COMMANDS, line];
    },
  });
  let quitting = false;
  // Every Ctrl-C reaches onQuit: a second one is how the user says "now, without the summary".
  const quit = () => {
    quitting = true;
    onQuit();
  };
  const log = (text: string) => {
    clearLine(output, 0);
    cursorTo(output, 0);
    output.write(`${text}\n`);
    if (!quitting) rl.prompt(true);
  };
  const context: CommandContext = { print: log, control: async () => control };

  const run = async (line: string) => {
    const words = line.trim().split(/\s+/).filter((word) => word !== '');
    if (words.length === 0) return rl.prompt();
    if (words[0] === 'quit' || words[0] === 'exit') return quit();
    if (words[0] === 'help') return log(HELP);
    try {
      await promptProgram(context, log).parseAsync(words, { from: 'user' });
    } catch (error) {
      // commander has already printed its own usage errors.
      if (!(error instanceof CommanderError)) log(errorLine(error));
    }
    if (!quitting) rl.prompt(true);
  };

  rl.on('line', (line) => void run(line));
  rl.on('SIGINT', quit);
  rl.on('close', quit);
  rl.setPrompt('› ');
  rl.prompt();

  let shown = '';
  return {
    log,
    update(snapshot: ProgressSnapshot) {
      const prompt = `${pc.dim(progressText(snapshot))} › `;
      if (prompt === shown || quitting) return;
      shown = prompt;
      rl.setPrompt(prompt);
      rl.prompt(true);
    },
    stop() {
      quitting = true;
      rl.off('close', quit);
      rl.close();
      output.write('\n');
    },
  };
}

function promptProgram(context: CommandContext, log: (text: string) => void): Command {
  const program = new Command('tapedeck')
    .exitOverride()
    .configureOutput({ writeOut: (text) => log(text.trimEnd()), writeErr: (text) => log(text.trimEnd()), outputError: (text, write) => write(pc.red(text)) });
  registerControlCommands(program, context);
  return program;
}
