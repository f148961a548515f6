import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Strategy } from '../run/strategy.js';
import { importStrategyFile } from '../sweep/strategy-module.js';
import { CliError, EXIT_USAGE } from './cli-error.js';

/**
 * Imports a strategy file: its default export (or `strategy`) made with `defineStrategy`.
 * A TypeScript file runs as it is: tsx's loader is registered first, so no build step.
 */
export async function loadStrategy(file: string): Promise<Strategy> {
  const resolved = path.resolve(file);
  const found = await stat(resolved).catch(() => undefined);
  if (!found?.isFile()) {
    throw new CliError('NO_STRATEGY_FILE', `No strategy file at ${file}: give the path of a .ts or .js file whose default export is defineStrategy({ … }), e.g. examples/sma-cross.ts.`, { exitCode: EXIT_USAGE });
  }
  return importStrategyFile(resolved, file);
}
