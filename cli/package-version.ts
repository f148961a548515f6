import { readFileSync } from 'node:fs';

/**
 * tapedeck's version, from its package.json: one folder up from this file, whether it runs from
 * the sources (cli/) or the build (dist/, where every module sits at the top).
 */
export function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
    if (manifest.name === 'tapedeck' && typeof manifest.version === 'string') return manifest.version;
  } catch {
    // Moved out of its package: no version to tell.
  }
  return 'unknown';
}
