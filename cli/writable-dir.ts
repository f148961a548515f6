import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from './cli-error.js';

/** Why a folder cannot be written, in words, by the error code the file system gave. */
const REASONS: Record<string, string> = {
  ENOTDIR: 'part of that path is a file, not a folder',
  EEXIST: 'it is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted there',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/**
 * Makes sure `dir` exists and this process can create files in it, before a command starts
 * work it could not finish: `DIR_NOT_WRITABLE` names the folder, why, and the option to pick
 * another. `mode` applies when the folder is created (the run dir is private: it holds a token).
 */
export async function assertWritableDir(dir: string, role: { name: string; fix: string; mode?: number }): Promise<void> {
  const probe = path.join(dir, `.tapedeck-write-check.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true, ...(role.mode === undefined ? {} : { mode: role.mode }) });
    await writeFile(probe, '', { flag: 'wx' });
    await rm(probe, { force: true });
  } catch (error) {
    const reason = REASONS[(error as NodeJS.ErrnoException).code ?? ''];
    if (!reason) throw error;
    throw new CliError('DIR_NOT_WRITABLE', `Cannot write to the ${role.name} ${dir}: ${reason}. ${role.fix}`);
  }
}

export const RUN_DIR_ROLE = { name: 'run directory', fix: 'Pass --run-dir with a folder you can write, or set TAPEDECK_RUN_DIR.', mode: 0o700 };
export const DATA_DIR_ROLE = { name: 'bar store', fix: 'Pass --data with a folder you can write.' };
