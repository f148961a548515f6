import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs a case module (one that runs its case when it is the main module) in a Node process of
 * its own, with this process's Node flags, its JSON lines printed with the others: for a case
 * whose figures depend on what the heap holds, so that the garbage of the cases before it does
 * not fall on its measurements.
 */
export async function inOwnProcess(caseModule: URL): Promise<void> {
  const file = fileURLToPath(caseModule);
  const child = spawn(process.execPath, [...process.execArgv, file], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  if (code !== 0) throw new Error(`${file} exited with ${code}.`);
}

/** True in the case module a process was started with. */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}
