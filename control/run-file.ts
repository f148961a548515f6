import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a running session writes down so that other processes can reach its control API. */
export interface RunFile {
  version: 1;
  host: string;
  port: number;
  pid: number;
  /** Bearer token for the control API: 32 random bytes, hex. */
  token: string;
  /** Wall-clock ISO time the session process started serving. */
  startedAt: string;
  mode: 'backtest' | 'live';
  date: string;
}

const RUN_FILE_NAME = 'session.json';
export const DEFAULT_RUN_DIR = '.tapedeck';

/** The run directory: the `--run-dir` option, else `TAPEDECK_RUN_DIR`, else `.tapedeck` in the working directory. */
export function resolveRunDir(option?: string): string {
  return option ?? process.env['TAPEDECK_RUN_DIR'] ?? DEFAULT_RUN_DIR;
}

export function runFilePath(runDir: string): string {
  return join(runDir, RUN_FILE_NAME);
}

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Writes the run file readable by its owner only. The token must never be readable by others,
 * not even for an instant: the temporary file is created with mode 0600, then renamed over.
 */
export async function writeRunFile(runDir: string, content: RunFile): Promise<void> {
  // 0700: the run directory holds the token; created private, an existing one is left as it is.
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  const target = runFilePath(runDir);
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The run file in `runDir`, or `undefined` when there is none. Throws if it exists but is not a run file. */
export async function readRunFile(runDir: string): Promise<RunFile | undefined> {
  const path = runFilePath(runDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = parseRunFile(text);
  if (!parsed) throw new Error(`${path} is not a tapedeck run file; delete it and start the session again.`);
  return parsed;
}

function parseRunFile(text: string): RunFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const file = value as Partial<RunFile>;
  const valid =
    file.version === 1 &&
    typeof file.host === 'string' &&
    Number.isInteger(file.port) &&
    Number.isInteger(file.pid) &&
    typeof file.token === 'string' &&
    typeof file.startedAt === 'string' &&
    (file.mode === 'backtest' || file.mode === 'live') &&
    typeof file.date === 'string';
  return valid ? (file as RunFile) : undefined;
}

/** Removes the run file if it is still the one written with `token` (another session may have replaced it). */
export async function removeRunFile(runDir: string, token: string): Promise<void> {
  const current = await readRunFile(runDir).catch(() => undefined);
  if (current?.token === token) await rm(runFilePath(runDir), { force: true });
}

/** Whether process `pid` exists. EPERM means it exists but belongs to someone else. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
