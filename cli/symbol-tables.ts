import { createRequire } from 'node:module';
import pc from 'picocolors';
import { totalDropped } from '../model/counts.js';
import type { DynamicSymbolView } from '../control/control-protocol.js';
import type { SymbolInfo } from '../model/session-summary.js';
import { colorStatus, count, intervalCounts } from './messages.js';
import { exchangeTime } from './time-format.js';

// No rule between rows: these tables are read down a column.
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

// cli-table3 colors headers and borders itself, ignoring NO_COLOR: its styles are off and
// headers go through picocolors, which knows when color is wanted.
export function table(head: string[], rows: string[][]): string {
  // Loaded when a table is printed (~10 ms), not by every command that could print one: a
  // backtest with --json prints none. CommonJS, so require() is at hand.
  const Table = createRequire(import.meta.url)('cli-table3') as typeof import('cli-table3');
  const t = new Table({ head: head.map((h) => pc.bold(h)), chars: COMPACT, style: { head: [], border: [] } });
  t.push(...rows);
  return t.toString();
}

type SymbolRow = Pick<SymbolInfo, 'symbol' | 'origin' | 'status' | 'streams' | 'loaded' | 'dropped' | 'caughtUp' | 'streamed' | 'error'>;

function statusCell(status: string, error: { code: string } | undefined): string {
  return error ? `${colorStatus(status)} ${pc.dim(`(${error.code})`)}` : colorStatus(status);
}

/** Every symbol of a session with its counters: the body of `session status` and of the summary. */
export function symbolsTable(symbols: SymbolRow[]): string {
  return table(
    ['Symbol', 'Origin', 'Status', 'Streams', 'Loaded', 'Dropped', 'Caught up', 'Streamed'],
    symbols.map((s) => [
      s.symbol,
      s.origin,
      statusCell(s.status, s.error),
      s.streams.join(' '),
      count(s.loaded),
      count(totalDropped(s.dropped)),
      intervalCounts(s.caughtUp),
      intervalCounts(s.streamed),
    ]),
  );
}

/** `data list-dynamic`: added symbols, with the simulated exchange-local time they were added at. */
export function dynamicTable(symbols: DynamicSymbolView[], timeZone: string): string {
  return table(
    ['Symbol', 'Status', 'Streams', 'Added at'],
    symbols.map((s) => [s.symbol, statusCell(s.status, s.error), s.streams.join(' '), exchangeTime(s.addedAt.sim, timeZone)]),
  );
}
