import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { Options, Params } from 'cli-progress';
import { colorStatus, count } from './messages.js';
import type { ProgressSnapshot } from './progress-meter.js';
import { exchangeTime } from './time-format.js';

/** Where a running backtest shows its progress and its news (symbol events, command output). */
export interface BacktestDisplay {
  /** Shows a line without breaking the progress display. */
  log(line: string): void;
  update(snapshot: ProgressSnapshot): void;
  stop(): void;
}

function fraction({ now, open, close }: ProgressSnapshot): number {
  return Math.min(1, Math.max(0, (now - open) / (close - open)));
}

/** `11:02 · 41% · 1,234 bars/s · 3 active` (and the state when the stream is not simply running). */
export function progressText(snapshot: ProgressSnapshot): string {
  const parts = [
    exchangeTime(snapshot.now, snapshot.timeZone),
    `${Math.floor(fraction(snapshot) * 100)}%`,
    `${count(Math.round(snapshot.barsPerSecond))} bars/s`,
    `${snapshot.activeSymbols} active`,
  ];
  if (snapshot.state !== 'streaming') parts.push(colorStatus(snapshot.state));
  return parts.join(' · ');
}

/** Not a terminal: no progress, news as plain lines. */
export function lineDisplay(stream: NodeJS.WritableStream): BacktestDisplay {
  return {
    log: (line) => stream.write(`${line}\n`),
    update: () => undefined,
    stop: () => undefined,
  };
}

/** A cli-progress bar on the terminal, with news printed above it. */
export function progressBarDisplay(stream: NodeJS.WriteStream, first: ProgressSnapshot): BacktestDisplay {
  // Loaded for a terminal only (~10 ms): piped and JSON runs draw no bar. CommonJS, so require() is at hand.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const format = (options: Options, params: Params, payload: ProgressSnapshot) => `${cliProgress.Format.BarFormat(params.progress, options)} ${progressText(payload)}`;
  const bars = new cliProgress.MultiBar({
    stream,
    format,
    barsize: 30,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    // Ctrl-C stops the session, which then stops the bar and prints the summary.
    gracefulExit: false,
  });
  const minutes = (s: ProgressSnapshot) => Math.round((s.now - s.open) / 60_000);
  const bar = bars.create(Math.round((first.close - first.open) / 60_000), minutes(first), first);
  return {
    log(line) {
      bars.log(`${line}\n`);
      // MultiBar prints its log on the next redraw: redraw now so news is not held back.
      bars.update();
    },
    update: (snapshot) => bar.update(minutes(snapshot), snapshot),
    stop: () => bars.stop(),
  };
}
