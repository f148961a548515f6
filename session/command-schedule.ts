import type { SymbolCommand } from '../model/session-recorder.js';

/** A command waiting for its minute; `replayed` ones are in the journal already and are not recorded again. */
export interface ScheduledCommand<C = SymbolCommand> {
  sim: number;
  command: C;
  replayed: boolean;
  planned?: number;
}

/** A command as a journal holds it: the minute it was made at and, when it came from a plan, its index there. */
interface JournaledCommand<C> {
  sim: number;
  command: C;
  planned?: number;
}

/**
 * The commands a backtest makes by itself, each when the simulated clock stands at its minute:
 * an interrupted run's journal, replayed, and a plan given at creation. A plan command the
 * journal already holds (it was made before the interruption) is not made twice. `C` is the
 * command: a session's add or removal, or a strategy run's (which may flatten).
 */
export class CommandSchedule<C = SymbolCommand> {
  private readonly commands: Array<ScheduledCommand<C>>;
  private next = 0;

  constructor(journaled: ReadonlyArray<JournaledCommand<C>>, plan: ReadonlyArray<{ sim: number; command: C }>) {
    const done = new Set(journaled.flatMap((entry) => (entry.planned === undefined ? [] : [entry.planned])));
    const replayed: Array<ScheduledCommand<C>> = journaled.map((entry) => ({ sim: entry.sim, command: entry.command, replayed: true }));
    const planned: Array<ScheduledCommand<C>> = plan.flatMap((entry, index) => (done.has(index) ? [] : [{ sim: entry.sim, command: entry.command, replayed: false, planned: index }]));
    // Stable: commands of one minute keep the order they were made (or planned) in, the journal's first.
    this.commands = [...replayed, ...planned].sort((a, b) => a.sim - b.sim);
  }

  /** The commands due at `now`, in order; each is returned once. */
  take(now: number): Array<ScheduledCommand<C>> {
    const due: Array<ScheduledCommand<C>> = [];
    while (this.next < this.commands.length && this.commands[this.next]!.sim <= now) due.push(this.commands[this.next++]!);
    return due;
  }

  /** The minute of the next command, if any. */
  get nextAt(): number | undefined {
    return this.commands[this.next]?.sim;
  }
}
