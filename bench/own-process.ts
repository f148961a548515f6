import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireBuilt } from './timed-process.js';

const BUILT_PACKAGE = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/**
 * Runs a case module (one that runs its case when it is the main module) in a Node process of
 * its own, with this process's Node flags, its JSON lines printed with the others: for a case
 * whose figures depend on what the heap holds, so that the garbage of the cases before it does
 * not fall on its measurements.
 *
 * With `builtPackage`, that process runs what an installed tapedeck runs: `import 'tapedeck'`
 * loads the build (`dist/`), not the sources, and tsx compiles the case's own TypeScript only,
 * through its ES module hook. With its CommonJS hook loaded as well (`--import tsx` registers
 * both) the same built code ran a 500-symbol run ~10 % slower, for a reason not found: the
 * dependencies that load as CommonJS (xstate) keep their source text under it.
 */
export async function inOwnProcess(caseModule: URL, options: { builtPackage?: boolean } = {}): Promise<void> {
  const file = fileURLToPath(caseModule);
  if (options.builtPackage) requireBuilt(BUILT_PACKAGE);
  const flags = options.builtPackage ? ['--expose-gc', '--import', 'tsx/esm'] : process.execArgv;
  const child = spawn(process.execPath, [...flags, file], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  if (code !== 0) throw new Error(`${file} exited with ${code}.`);
}

/** True in the case module a process was started with. */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}
