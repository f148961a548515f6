import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package.json condition under which `tapedeck` names its sources (`npm run bench` sets it). */
const SOURCE_CONDITION = 'tapedeck-source';
const BUILT_PACKAGE = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/**
 * Runs a case module (one that runs its case when it is the main module) in a Node process of
 * its own, with this process's Node flags, its JSON lines printed with the others: for a case
 * whose figures depend on what the heap holds, so that the garbage of the cases before it does
 * not fall on its measurements. With `builtPackage`, `import 'tapedeck'` in that process loads
 * the build (`dist/`), as an installed package does, rather than the sources: tsx compiles
 * those file by file and keeps every function's name at run time, which the build does not.
 */
export async function inOwnProcess(caseModule: URL, options: { builtPackage?: boolean } = {}): Promise<void> {
  const file = fileURLToPath(caseModule);
  if (options.builtPackage && !existsSync(BUILT_PACKAGE)) throw new Error(`${BUILT_PACKAGE} is missing: run npm run build first.`);
  const flags = options.builtPackage ? process.execArgv.filter((flag) => flag !== `--conditions=${SOURCE_CONDITION}`) : process.execArgv;
  const child = spawn(process.execPath, [...flags, file], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  if (code !== 0) throw new Error(`${file} exited with ${code}.`);
}

/** True in the case module a process was started with. */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}
