import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isoTime } from '../model/iso-time.js';
import type { BacktestResult } from './backtest-result.js';
import { readChartsLibrary, renderReportPage } from './report-page.js';

/** The result files of a run, each written whole or not at all (a temp file renamed into place). */
export async function writeResultFiles(dir: string, result: BacktestResult): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [
    ['result.json', resultDocument(result)],
    ['fills.csv', csv(['orderId', 'symbol', 'side', 'qty', 'price', 't', 'time', 'commission', 'reason'], result.fills.map((f) => [f.orderId, f.symbol, f.side, f.qty, f.price, f.t, isoTime(f.t), f.commission, f.reason ?? '']))],
    [
      'trades.csv',
      csv(
        ['symbol', 'direction', 'qty', 'entryT', 'entryTime', 'entryPrice', 'exitT', 'exitTime', 'exitPrice', 'pnl', 'commission', 'netPnl', 'return', 'durationMs'],
        result.trades.map((r) => [r.symbol, r.direction, r.qty, r.entry.t, isoTime(r.entry.t), r.entry.price, r.exit.t, isoTime(r.exit.t), r.exit.price, r.pnl, r.commission, r.netPnl, r.return, r.duration]),
      ),
    ],
    ['equity.csv', csv(['t', 'time', 'equity', 'cash', 'grossExposure'], result.equity.minutes.map((p) => [p.t, isoTime(p.t), p.equity, p.cash, p.grossExposure]))],
    ['report.html', renderReportPage(result, await readChartsLibrary())],
  ];
  for (const [name, text] of files) await writeAtomically(path.join(dir, name), text);
}

/** `result.json`: what the run was asked, its metrics and days, without the long series. */
export function resultDocument(result: Pick<BacktestResult, 'config' | 'params' | 'metrics' | 'days' | 'extra'>): string {
  const { config, params, metrics, days, extra } = result;
  return `${JSON.stringify({ config, params, metrics, days, ...(extra === undefined ? {} : { extra }) }, null, 2)}\n`;
}

export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export function csv(header: string[], rows: Array<Array<string | number>>): string {
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\n')}\n`;
}

/** Quotes only what needs it: numbers, symbols and codes never do, a strategy's extra text might. */
function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
