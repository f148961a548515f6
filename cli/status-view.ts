import type { StatusReport } from '../control/control-protocol.js';
import { colorStatus, heading, notificationsLine, pausesLine } from './messages.js';
import { symbolsTable } from './symbol-tables.js';
import { exchangeTime, zoneName } from './time-format.js';

/** `session status` as text. */
export function renderStatus(report: StatusReport): string {
  const { timeZone } = report;
  const zone = zoneName(report.clock.ms, timeZone);
  const early = report.hours.early ? ' (early close)' : '';
  return [
    heading(`${report.mode} ${report.date} (${report.calendar}) · ${colorStatus(report.state)} · clock ${exchangeTime(report.clock.ms, timeZone, { seconds: true })} ${zone}`),
    `Hours ${exchangeTime(report.hours.open, timeZone)}–${exchangeTime(report.hours.close, timeZone)} ${zone}${early} · pid ${report.pid}`,
    symbolsTable(report.symbols),
    pausesLine(report.pauses),
    notificationsLine(report.notifications),
  ].join('\n');
}
