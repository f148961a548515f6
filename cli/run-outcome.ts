import type { SymbolInfo } from '../model/session-summary.js';
import { CliError, EXIT_PARTIAL, EXIT_RUNTIME } from './cli-error.js';
import { errorLine } from './messages.js';

type SymbolOutcome = Pick<SymbolInfo, 'symbol' | 'status' | 'error'>;

/** `NVDA (NO_DATA)`, for each failed symbol. */
export function failedList(symbols: readonly SymbolOutcome[]): string {
  return symbols.map((s) => `${s.symbol} (${s.error?.code ?? 'failed'})`).join(', ');
}

/** The summary's line about failed symbols, e.g. `1 of 3 symbols failed: NVDA (NO_DATA)`; `undefined` when none failed. */
export function failedSymbolsLine(symbols: readonly SymbolOutcome[]): string | undefined {
  const failed = symbols.filter((s) => s.status === 'failed');
  if (failed.length === 0) return undefined;
  return `${failed.length} of ${symbols.length} ${symbols.length === 1 ? 'symbol' : 'symbols'} failed: ${failedList(failed)}`;
}

/**
 * Ends a session run with the exit code its symbols call for, once its summary is printed: a run
 * where every symbol failed did nothing useful (exit 1, one line saying why on stderr); one
 * where some failed is partial (exit 3; the summary already says which).
 */
export function exitForSymbols(symbols: readonly SymbolOutcome[], json: boolean): void {
  const failed = symbols.filter((s) => s.status === 'failed');
  if (failed.length === 0) return;
  if (failed.length < symbols.length) {
    throw new CliError('SOME_SYMBOLS_FAILED', failedSymbolsLine(symbols)!, { exitCode: EXIT_PARTIAL, silent: true });
  }
  const codes = [...new Set(failed.map((s) => s.error?.code ?? 'LOAD_FAILED'))];
  const why = failed.map((s) => `${s.symbol} ${s.error ? `${s.error.code}: ${s.error.message}` : 'failed'}`).join('; ');
  const error = new CliError(codes.length === 1 ? codes[0]! : 'ALL_SYMBOLS_FAILED', `Nothing ran: every symbol failed. ${why}`, { exitCode: EXIT_RUNTIME, silent: json });
  // With --json the summary is stdout's one document: the reason goes to stderr.
  if (json) process.stderr.write(`${errorLine(error)}\n`);
  throw error;
}
