import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI, as the installed `tapedeck` bin runs it (`npm run build` first). */
export const CLI = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** Stops a case that needs the build (`dist/`) when it is not there, saying how to make it. */
export function requireBuilt(file: string): void {
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first.`);
}

/** GNU time reports the child's peak RSS (`%M`, kB) and CPU seconds from wait4, which no Node API exposes. */
export const GNU_TIME = '/usr/bin/time';

/** Runs `node args…` to its exit: wall time from spawn, and the child's CPU time and peak RSS when GNU time is there. */
export async function timeProcess(args: string[]): Promise<{ wallMs: number; peakMb?: number; cpuMs?: number; systemMs?: number; stdout: string }> {
  const timed = existsSync(GNU_TIME);
  const [command, commandArgs] = timed ? [GNU_TIME, ['-f', 'cpu-s=%U+%S peak-rss-kb=%M', process.execPath, ...args]] : [process.execPath, args];
  const started = performance.now();
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`tapedeck exited with ${code}: ${stderr.slice(-500)}`);
  const usage = /cpu-s=([\d.]+)\+([\d.]+) peak-rss-kb=(\d+)\s*$/.exec(stderr);
  if (!usage) return { wallMs, stdout };
  return { wallMs, cpuMs: Math.round((Number(usage[1]) + Number(usage[2])) * 1000), systemMs: Math.round(Number(usage[2]) * 1000), peakMb: Number((Number(usage[3]) / 1024).toFixed(1)), stdout };
}
