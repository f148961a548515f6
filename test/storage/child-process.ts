import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs a TypeScript file under test/storage/children in a child Node process, waits until it
 * has printed `lines` lines (each one a completed write), lets it run `delayMs` longer and
 * kills it with SIGKILL: no exit handler, no flush, whatever write was in flight is cut off.
 */
export async function killMidWrite(script: string, args: string[], lines: number, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=tapedeck-source', '--import', 'tsx', fileURLToPath(new URL(`children/${script}`, import.meta.url)), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').length - 1;
      if (seen >= lines) resolve();
    });
    void exited.then(() => reject(new Error(`${script} exited before writing ${lines} times: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`${script} ended by ${String(signal)} instead of SIGKILL: ${stderr}`);
}
