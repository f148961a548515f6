import type { RecordedCommand, SessionReplay, SymbolCommand } from '../model/session-recorder.js';

/** A command waiting for its minute; `replayed` ones are in the journal already and are not recorded again. */
export interface ScheduledCommand {
  sim: number;
  command: SymbolCommand;
  replayed: boolean;
  planned?: number;
}

/**
 * The commands a backtest makes by itself, each when the simulated clock stands at its minute:
 * an interrupted run's journal, replayed, and a plan given at creation. A plan command the
 * journal already holds (it was made before the interruption) is not made twice.
 */
export class CommandSchedule {
  private readonly commands: ScheduledCommand[];
  private next = 0;

  constructor(replay: SessionReplay | undefined, plan: ReadonlyArray<{ sim: number; command: SymbolCommand }>) {
    const journaled: RecordedCommand[] = replay?.commands ?? [];
    const done = new Set(journaled.flatMap((entry) => (entry.planned === undefined ? [] : [entry.planned])));
    const replayed: ScheduledCommand[] = journaled.map((entry) => ({ sim: entry.sim, command: entry.command, replayed: true }));
    const planned: ScheduledCommand[] = plan.flatMap((entry, index) => (done.has(index) ? [] : [{ sim: entry.sim, command: entry.command, replayed: false, planned: index }]));
    // Stable: commands of one minute keep the order they were made (or planned) in, the journal's first.
    this.commands = [...replayed, ...planned].sort((a, b) => a.sim - b.sim);
  }

  /** The commands due at `now`, in order; each is returned once. */
  take(now: number): ScheduledCommand[] {
    const due: ScheduledCommand[] = [];
    while (this.next < this.commands.length && this.commands[this.next]!.sim <= now) due.push(this.commands[this.next++]!);
    return due;
  }

  /** The minute of the next command, if any. */
  get nextAt(): number | undefined {
    return this.commands[this.next]?.sim;
  }
}
