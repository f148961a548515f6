import { existsSync } from 'node:fs';
import { startCli, type RunningProcess } from '../cli/cli-process.js';

/** Where a kill can land, read from what the process had printed when it died. */
export type KillPhase = 'starting' | 'loading' | 'catching up' | 'streaming' | 'between days';

/** A marker line and the phase the process is in from the moment it prints it. */
export type PhaseMarkers = ReadonlyArray<[RegExp, KillPhase]>;

/** The phase of the last marker in `output` (written synchronously to a pipe, so nothing after it ran unprinted for long). */
export function phaseOf(output: string, markers: PhaseMarkers): KillPhase {
  let phase: KillPhase = 'starting';
  let at = -1;
  for (const [pattern, named] of markers) {
    const global = new RegExp(pattern.source, 'g');
    for (const match of output.matchAll(global)) {
      if (match.index > at) {
        at = match.index;
        phase = named;
      }
    }
  }
  return phase;
}

/** When to kill: once `after` shows up in the process's stderr, `delayMs` later. */
export interface KillMoment {
  after: RegExp;
  delayMs: number;
}

export interface KillOutcome {
  /** It really died of SIGKILL (it had not finished on its own). */
  killed: boolean;
  phase: KillPhase;
  process: RunningProcess;
}

/** Starts `tapedeck args…` and SIGKILLs it at `moment`: at once on the output chunk that shows the marker, so short phases can be hit. */
export async function runAndKill(args: string[], moment: KillMoment, markers: PhaseMarkers, stateFile: string | undefined): Promise<KillOutcome> {
  const process = startCli(args);
  const kill = () => (moment.delayMs > 0 ? setTimeout(() => process.kill(), moment.delayMs) : process.kill());
  const watch = () => {
    if (!moment.after.test(process.stderr)) return;
    process.child.stderr.off('data', watch);
    kill();
  };
  // Registered after the collector's listener, so `process.stderr` already holds the chunk.
  process.child.stderr.on('data', watch);
  await process.exited;
  const killed = process.child.signalCode === 'SIGKILL';
  if (killed && stateFile !== undefined && existsSync(stateFile)) throw new Error(`a process killed with SIGKILL wrote its final state ${stateFile}`);
  return { killed, phase: phaseOf(process.stderr, markers), process };
}
