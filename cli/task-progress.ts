import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

export interface TaskProgress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A progress bar for a long task (import, generate) on a terminal; nothing when output is piped or JSON. */
export function taskProgress(label: string, unit: string, enabled: boolean): TaskProgress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  // Loaded only for a bar on a terminal (~10 ms): piped and JSON output never draw one. CommonJS, so require() is at hand.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    { format: `${label} {bar} {percentage}% · {value}/{total} ${unit}`, stream: process.stdout, hideCursor: true, clearOnComplete: true, gracefulExit: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        started = true;
        bar.start(total, done);
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
