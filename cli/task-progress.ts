// cli-progress is CommonJS without named exports Node can detect: import the module object.
import cliProgress from 'cli-progress';

export interface TaskProgress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A progress bar for a long task (import, generate) on a terminal; nothing when output is piped or JSON. */
export function taskProgress(label: string, unit: string, enabled: boolean): TaskProgress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
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
