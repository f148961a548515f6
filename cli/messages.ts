import pc from 'picocolors';
import type { IntervalCounts } from '../model/counts.js';
import type { SymbolStatus } from '../model/symbol-status.js';
import type { AddSymbolReport, RemoveSymbolReport, SessionMode } from '../control/control-protocol.js';
import { duration } from './time-format.js';

// The words and colors of the CLI's answers, in one place so every command speaks alike.
// picocolors turns colors off under NO_COLOR, --no-color, or when stdout is not a terminal.

export const ok = (text: string) => `${pc.green('✓')} ${text}`;
export const fail = (text: string) => `${pc.red('✗')} ${text}`;
export const note = (text: string) => pc.dim(text);
export const heading = (text: string) => pc.bold(text);

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** Up to this many symbols are named in a line; more are counted. */
const SYMBOLS_NAMED = 8;

/** A few symbols by name (`AAPL, MSFT`); many counted, with the first and the last (`500 symbols (S000, S001, S002 … S499)`). */
export function symbolList(symbols: readonly string[]): string {
  if (symbols.length <= SYMBOLS_NAMED) return symbols.join(', ');
  return `${plural(symbols.length, 'symbol')} (${symbols.slice(0, 3).join(', ')} … ${symbols.at(-1)})`;
}

export function colorStatus(status: SymbolStatus | string): string {
  switch (status) {
    case 'active':
    case 'streaming':
      return pc.green(status);
    case 'failed':
      return pc.red(status);
    case 'removed':
    case 'draining':
    case 'closed':
      return pc.dim(status);
    default:
      return pc.yellow(status);
  }
}

/** `1m 390 · 5m 78` */
export function intervalCounts(counts: IntervalCounts): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? '—' : entries.map(([interval, n]) => `${interval} ${count(n ?? 0)}`).join(' · ');
}

/** The caught-up count a person cares about: minutes (1m bars) when streamed, else the largest interval count. */
export function caughtUpBars(counts: IntervalCounts = {}): number {
  return counts['1m'] ?? Math.max(0, ...Object.values(counts).map((n) => n ?? 0));
}

const ADD_NOTE: Record<SessionMode, string> = {
  backtest: 'Backtest mode: streaming will pause, load historical data, and catch up',
  live: "Live mode: loading today's bars and trailing days, then subscribing; other symbols keep streaming",
};

/** What `data add-symbol` says when it worked: queued (and how the mode handles it), or with --wait active. */
export function addSymbolLines(report: AddSymbolReport): string[] {
  const { symbol } = report;
  if (!report.waited) return [ok(`Symbol ${symbol} queued for addition`), note(ADD_NOTE[report.mode])];
  return [ok(`${symbol} is active (caught up ${count(caughtUpBars(report.caughtUp))} bars)`)];
}

/** Why an add that was waited for did not end active, e.g. `TSLA failed: NO_DATA No 1m bars …`. */
export function addFailureMessage(report: AddSymbolReport): string {
  const why = report.error ? `${report.error.code} ${report.error.message}` : `it ended ${report.status}`;
  return `${report.symbol} failed: ${why}`;
}

const STILL_LOADING = new Set<SymbolStatus>(['queued', 'loading', 'catchingUp']);

/** What `data remove-symbol` says: marked, and whether the symbol drains or goes at once. */
export function removeSymbolLines(report: RemoveSymbolReport): string[] {
  const { symbol } = report;
  if (report.waited) return [ok(`${symbol} removed`)];
  const first = ok(`Symbol ${symbol} marked for removal`);
  if (STILL_LOADING.has(report.previousStatus)) return [first, note(`${symbol} was still ${report.previousStatus}: its load is cancelled`)];
  if (report.immediate) return [first, note('Immediate removal: no more bars from now on')];
  const drain = report.mode === 'backtest' ? ' (it streams to the end of the current minute)' : '';
  return [first, note(`Graceful removal: draining queues…${drain}`)];
}

/** One line for any failure: what went wrong and what to do, never a stack trace. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return fail(message.replace(/\s*\n\s*/g, ' '));
}

export function pausesLine({ count: n, totalMs, maxMs }: { count: number; totalMs: number; maxMs: number }): string {
  return `Pauses: ${n === 0 ? 'none' : `${count(n)} · total ${duration(totalMs)} · max ${duration(maxMs)}`}`;
}

export function notificationsLine({ delivered, dropped, listenerErrors }: { delivered: number; dropped: number; listenerErrors: number }): string {
  return `Notifications: ${count(delivered)} delivered · ${count(dropped)} dropped · ${plural(listenerErrors, 'listener error')}`;
}
