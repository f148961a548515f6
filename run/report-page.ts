import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Fill } from '../broker/fill.js';
import type { Bar } from '../model/bar.js';
import type { BacktestResult, DaySummary } from './backtest-result.js';
import { metricRows, money } from './metric-rows.js';
import { REPORT_PAGE_SCRIPT } from './report-page-script.js';

/** What the page's script draws, embedded as JSON: times in epoch ms, as in the result. */
export interface ReportPageData {
  timeZone: string;
  candleMinutes: number;
  /** `[t, equity]` after each simulated minute with bars. */
  equity: Array<[number, number]>;
  candles: Record<string, Bar[]>;
  /** Per symbol: `[candle t, side]`, the candle each fill happened in (fills.csv has the rest). */
  fills: Record<string, Array<[number, Fill['side']]>>;
}

/**
 * TradingView's lightweight-charts, the standalone build (it defines `window.LightweightCharts`),
 * read from the installed package so the page needs no network.
 */
export async function readChartsLibrary(): Promise<string> {
  const manifest = createRequire(import.meta.url).resolve('lightweight-charts/package.json');
  return readFile(path.join(path.dirname(manifest), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
}

/** `report.html`: one page that opens offline. Only the result goes in, so the same result gives the same page. */
export function renderReportPage(result: BacktestResult, chartsLibrary: string): string {
  const { config, candles } = result;
  const data: ReportPageData = {
    timeZone: candles.timeZone,
    candleMinutes: candles.minutes,
    equity: result.equity.minutes.map((p) => [p.t, p.equity]),
    candles: candles.symbols,
    fills: fillMarkers(result.fills, candles.symbols, candles.minutes * 60_000),
  };
  const title = `${config.strategy} · ${config.from} → ${config.to}`;
  const candleNote =
    candles.omitted.length === 0
      ? ''
      : ` Candles of ${candles.omitted.length} more symbols (${candles.omitted.join(', ')}) are left out to keep the page small.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="sub">${escapeHtml(`${result.days.length} trading days on ${config.calendar} · symbols ${config.symbols.join(', ')} · cash ${money(config.cash)} · params ${JSON.stringify(result.params)}`)}</p>
<div class="top">
<section class="charts"><h2>Equity, drawdown below</h2><div id="equity-chart" class="chart tall"></div></section>
<section><h2>Metrics</h2>
<table id="metrics"><tbody>
${metricRows(result.metrics).map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n')}
</tbody></table></section>
</div>
<section><h2>Candles and fills</h2>
<p class="sub">${candles.minutes >= 24 * 60 ? 'Daily' : `${candles.minutes}-minute`} candles from the run's 1m bars, exchange time (${escapeHtml(candles.timeZone)}); ▲ B buy, ▼ S sell, on the candle the fill's bar belongs to. A symbol removed during a day has no candles that day (its bars leave the session with it).${escapeHtml(candleNote)}</p>
<div id="candle-charts"></div></section>
<section><h2>Day by day</h2>
<p class="sub">Rows with symbols added <span class="added">+</span> or removed <span class="removed">−</span> during the day are marked.</p>
<table id="days"><thead><tr><th>date</th><th>1m bars</th><th>fills</th><th>pnl</th><th>equity at close</th><th>added / removed</th><th>pauses</th><th>universe at close</th></tr></thead><tbody>
${result.days.map(dayRow).join('\n')}
</tbody></table></section>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${chartsLibrary.replaceAll('</script', '<\\/script')}</script>
<script>${REPORT_PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function dayRow(day: DaySummary): string {
  const changes = [...day.added.map((s) => `<span class="added">+${escapeHtml(s)}</span>`), ...day.removed.map((s) => `<span class="removed">−${escapeHtml(s)}</span>`)];
  const pnlClass = day.pnl > 0 ? 'up' : day.pnl < 0 ? 'down' : '';
  return `<tr${changes.length > 0 ? ' class="dynamic"' : ''}><td>${day.date}</td><td>${day.bars}</td><td>${day.fills}</td><td class="${pnlClass}">${money(day.pnl)}</td><td>${money(day.endEquity)}</td><td>${changes.join(' ')}</td><td>${day.pauses.length}</td><td>${escapeHtml(day.symbols.join(', '))}</td></tr>`;
}

/**
 * Each fill placed on the candle holding its bar. A fill no candle covers gets no marker rather
 * than a wrong one: a symbol's bars leave the session with it, so the day it is removed (and
 * flattened) has no candles.
 */
function fillMarkers(fills: readonly Fill[], candles: Record<string, Bar[]>, span: number): ReportPageData['fills'] {
  const markers: ReportPageData['fills'] = {};
  for (const fill of fills) {
    const series = candles[fill.symbol];
    if (!series || series.length === 0) continue;
    let lo = 0;
    let hi = series.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (series[mid]!.t <= fill.t) lo = mid;
      else hi = mid - 1;
    }
    const candle = series[lo]!;
    if (candle.t <= fill.t && fill.t < candle.t + span) (markers[fill.symbol] ??= []).push([candle.t, fill.side]);
  }
  return markers;
}

/** JSON inside a script element: `<` escaped so no `</script>` or `<!--` in the data ends it early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

const STYLE = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 20px 0 8px; }
.sub { color: #59636e; margin: 0 0 8px; }
.top { display: flex; gap: 24px; align-items: flex-start; } .charts { flex: 1; min-width: 0; }
.chart { width: 100%; height: 260px; } .chart.tall { height: 420px; }
.symbol { margin-bottom: 16px; } .symbol h3 { font-size: 13px; margin: 0 0 4px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #d1d9e0; text-align: right; white-space: nowrap; }
th { font-weight: 600; } #metrics th { text-align: left; }
#days td:last-child { text-align: left; white-space: normal; }
tr.dynamic { background: #fff8c5; }
.added { color: #1a7f37; font-weight: 600; } .removed { color: #cf222e; font-weight: 600; }
.up { color: #1a7f37; } .down { color: #cf222e; }
`;
