import type { Command } from 'commander';

/** `tapedeck data …`: the running session's symbols (control commands) and the bar data on disk. */
export function dataGroup(program: Command): Command {
  return program.command('data').description('symbols of the running session; bar data on disk');
}

/** `tapedeck session …`: the running session. */
export function sessionGroup(program: Command): Command {
  return program.command('session').description('the running session');
}
