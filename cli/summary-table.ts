import type { SessionSummary } from '../model/session-summary.js';
import { fail, heading, note, notificationsLine, pausesLine } from './messages.js';
import { failedSymbolsLine } from './run-outcome.js';
import { symbolsTable } from './symbol-tables.js';
import { exchangeTime, zoneName } from './time-format.js';

/** The end-of-session report: how the day went, each symbol's counters, pauses and notifications. */
export function renderSummary(summary: SessionSummary, timeZone: string): string {
  const time = (ms: number) => exchangeTime(ms, timeZone);
  const ending = summary.stopped ? `stopped early at ${time(summary.endedAt)}` : `ran to the close at ${time(summary.endedAt)}`;
  const durations = summary.pauses.map((p) => p.durationMs);
  const lines = [
    heading(`${capitalize(summary.mode)} ${summary.date} · ${time(summary.open)}–${time(summary.close)} ${zoneName(summary.open, timeZone)} · ${ending}`),
    symbolsTable(summary.symbols),
    pausesLine({ count: durations.length, totalMs: durations.reduce((a, b) => a + b, 0), maxMs: Math.max(0, ...durations) }),
    notificationsLine(summary.notifications),
  ];
  if (summary.added.length > 0 || summary.removed.length > 0) {
    lines.push(note(`Added: ${summary.added.join(', ') || 'none'} · removed: ${summary.removed.join(', ') || 'none'}`));
  }
  const failed = failedSymbolsLine(summary.symbols);
  if (failed) lines.push(fail(failed));
  return lines.join('\n');
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
