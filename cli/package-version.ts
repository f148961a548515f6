import { readFileSync } from 'node:fs';

/**
 * tapedeck's version, from its package.json: one folder up when run from the sources
 * (cli/main.ts), two from the build (dist/cli/main.js).
 */
export function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'tapedeck' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // Not this folder: try the next one up.
    }
  }
  return 'unknown';
}
