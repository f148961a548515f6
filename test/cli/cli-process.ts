import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nyse } from '../../calendar/nyse.js';
import { ArrowBarStore } from '../../storage/bars/arrow-bar-store.js';
import { generateDataset } from '../../storage/synthetic/synthetic-bars.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `tapedeck` as the package's developers run it: the TypeScript sources through tsx. */
export const TAPEDECK = [process.execPath, '--conditions=tapedeck-source', '--import', 'tsx', join(ROOT, 'cli/main.ts')];

/** Plain text to assert on: no colors, whatever the CI sets. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['FORCE_COLOR'];
  delete env['TAPEDECK_RUN_DIR'];
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `tapedeck` as a user installs it: the package's built bin, plain node (`npm run build` first). */
export const INSTALLED_BIN = join(ROOT, 'dist', 'main.js');

/** Runs one `tapedeck …` command to its end; `installed` runs the built bin instead of the sources. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = cliEnv(), options: { installed?: boolean } = {}): Promise<CliResult> {
  const command = options.installed ? [process.execPath, INSTALLED_BIN] : TAPEDECK;
  const child = spawn(command[0]!, [...command.slice(1), ...args], { cwd: ROOT, env });
  return collect(child);
}

/** A long-running child whose output can be waited on. */
export class RunningProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    this.exited = collect(child, this);
  }

  /** Resolves when `pattern` shows up in the output; rejects if the process ends first or time runs out. */
  waitFor(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout', timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${pattern} in ${stream} after ${timeoutMs} ms:\n${this[stream]}\n--- stderr:\n${this.stderr}`)), timeoutMs);
      const poll = setInterval(() => {
        if (pattern.test(this[stream])) done();
      }, 20);
      const done = (error?: Error) => {
        clearTimeout(timer);
        clearInterval(poll);
        if (error) reject(error);
        else resolve();
      };
      void this.exited.then(() => setTimeout(() => done(pattern.test(this[stream]) ? undefined : new Error(`exited before ${pattern} in ${stream}:\n${this[stream]}\n--- stderr:\n${this.stderr}`)), 50));
    });
  }

  /** For teardown: ends the process if a failed test left it running. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): RunningProcess {
  return new RunningProcess(spawn(TAPEDECK[0]!, [...TAPEDECK.slice(1), ...args], { cwd: ROOT, env }));
}

function collect(child: ChildProcessWithoutNullStreams, sink: { stdout: string; stderr: string } = { stdout: '', stderr: '' }): Promise<CliResult> {
  child.stdout.on('data', (chunk: Buffer) => (sink.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (sink.stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: sink.stdout, stderr: sink.stderr }));
  });
}

/** A temp dir with an Arrow bar store (the CLI's default) of AAPL, MSFT and TSLA for 2024-03-08 (no NVDA), and an empty run dir path. */
export async function workspace(): Promise<{ root: string; data: string; runDir: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'tapedeck-cli-'));
  const data = join(root, 'data');
  await generateDataset({ store: new ArrowBarStore(data), calendar: nyse, symbols: ['AAPL', 'MSFT', 'TSLA'], from: '2024-03-08', to: '2024-03-08', seed: 7 });
  return { root, data, runDir: join(root, 'run'), remove: () => rm(root, { recursive: true, force: true }) };
}
