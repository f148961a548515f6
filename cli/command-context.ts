import type { SessionControl } from '../control/session-control.js';

/**
 * Where a control command (`data add-symbol`, `session status`, …) runs: in a shell, talking to
 * the session over its control API, or at the prompt of the backtest's own terminal.
 */
export interface CommandContext {
  /** Shows one result line (or a JSON document). */
  print(text: string): void;
  /** The session to act on. `runDir` is where a shell finds the run file. */
  control(runDir: string): Promise<SessionControl>;
}

export const shellContext: CommandContext = {
  print: (text) => process.stdout.write(`${text}\n`),
  // Imported when a command talks to a session: the data commands print through this context
  // too, and would load node:http (~10 ms) for nothing.
  control: async (runDir) => (await import('../control/control-client.js')).ControlClient.connect(runDir),
};
