import type { SweepDocument } from './sweep-document.js';
import { lowerIsBetter } from './sweep-rank.js';

/**
 * `sweep.html`: one self-contained page (no network, no library) with a heatmap of the ranked
 * metric over two params and a table of every parameter set, sorted by a click on a column.
 * Where the grid has more params than the heatmap's two, a cell shows the best value among
 * the sets that share its two values.
 */
export function renderSweepPage(document: SweepDocument): string {
  const data = JSON.stringify({ ...document, lowerIsBetter: lowerIsBetter(document.rank) }).replaceAll('<', '\\u003c');
  const title = `${document.strategy} sweep · ${document.from} → ${document.to}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 24px; color: #1c1c1c; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin-top: 28px; }
table { border-collapse: collapse; }
th, td { padding: 4px 8px; text-align: right; border: 1px solid #ddd; }
#heatmap td { min-width: 64px; color: #111; }
#runs th { cursor: pointer; user-select: none; background: #f4f4f4; }
#runs th[aria-sort="ascending"]::after { content: " ▲"; }
#runs th[aria-sort="descending"]::after { content: " ▼"; }
td.failed { color: #b00020; text-align: left; }
.note { color: #666; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note" id="summary"></p>
<h2 id="heatmap-title"></h2>
<table id="heatmap"></table>
<h2>Every parameter set</h2>
<table id="runs"><thead></thead><tbody></tbody></table>
<script type="application/json" id="sweep-data">${data}</script>
<script>
${PAGE_SCRIPT}
</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

const PAGE_SCRIPT = String.raw`
const sweep = JSON.parse(document.getElementById('sweep-data').textContent);
const metric = sweep.rank;
const better = (a, b) => (sweep.lowerIsBetter ? a < b : a > b);
const valueOf = (p) => (p.metrics ? p.metrics[metric] : null);
const shown = (x) => (x === null || x === undefined ? '—' : typeof x === 'number' ? String(Number(x.toFixed(4))) : String(x));
document.getElementById('summary').textContent =
  sweep.points.length + ' parameter sets, ' + sweep.jobs + ' jobs, ranked by ' + metric +
  (sweep.lowerIsBetter ? ' (lower is better)' : ' (higher is better)') + '; ' +
  sweep.points.filter((p) => p.error).length + ' failed.';

function drawHeatmap() {
  const table = document.getElementById('heatmap');
  const title = document.getElementById('heatmap-title');
  if (!sweep.heatmap) {
    title.textContent = 'No heatmap: the grid has fewer than two params with several values.';
    return;
  }
  const [xName, yName] = sweep.heatmap;
  const axis = (name) => sweep.grid.find((a) => a.name === name).values;
  const xs = axis(xName);
  const ys = axis(yName);
  title.textContent = metric + ' by ' + xName + ' (columns) and ' + yName + ' (rows)';
  const best = new Map();
  for (const p of sweep.points) {
    const value = valueOf(p);
    if (value === null || value === undefined) continue;
    const key = String(p.params[xName]) + '|' + String(p.params[yName]);
    if (!best.has(key) || better(value, best.get(key))) best.set(key, value);
  }
  const values = [...best.values()];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const head = table.createTHead().insertRow();
  head.appendChild(document.createElement('th')).textContent = yName + ' \\ ' + xName;
  for (const x of xs) head.appendChild(document.createElement('th')).textContent = String(x);
  const body = table.createTBody();
  for (const y of ys) {
    const row = body.insertRow();
    row.appendChild(document.createElement('th')).textContent = String(y);
    for (const x of xs) {
      const cell = row.insertCell();
      const key = String(x) + '|' + String(y);
      cell.dataset.x = String(x);
      cell.dataset.y = String(y);
      if (!best.has(key)) {
        cell.textContent = '—';
        continue;
      }
      const value = best.get(key);
      cell.dataset.value = String(value);
      cell.textContent = shown(value);
      // Green for the best end of the range, red for the worst, whichever way is better.
      let share = high === low ? 1 : (value - low) / (high - low);
      if (sweep.lowerIsBetter) share = 1 - share;
      cell.style.backgroundColor = 'hsl(' + Math.round(share * 120) + ', 65%, 72%)';
    }
  }
}

const names = Object.keys(sweep.points[0] ? sweep.points[0].params : {});
const metrics = Object.keys((sweep.points.find((p) => p.metrics) || { metrics: {} }).metrics);
const columns = [
  ...names.map((name) => ({ label: name, get: (p) => p.params[name] })),
  ...metrics.map((name) => ({ label: name, get: (p) => (p.metrics ? p.metrics[name] : null) })),
  { label: 'error', get: (p) => (p.error ? p.error.code + ': ' + p.error.message : '') },
];
let order = sweep.ranked.concat(sweep.points.filter((p) => !sweep.ranked.includes(p.point)).map((p) => p.point));

function drawRows() {
  const body = document.querySelector('#runs tbody');
  body.replaceChildren();
  for (const index of order) {
    const p = sweep.points[index];
    const row = body.insertRow();
    row.dataset.point = String(p.point);
    for (const column of columns) {
      const cell = row.insertCell();
      cell.textContent = shown(column.get(p));
      if (column.label === 'error' && p.error) cell.className = 'failed';
    }
  }
}

function sortBy(th, column) {
  const ascending = th.getAttribute('aria-sort') !== 'ascending';
  for (const other of document.querySelectorAll('#runs th')) other.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  const rank = (x) => (x === null || x === undefined || x === '' ? null : x);
  order = [...order].sort((a, b) => {
    const x = rank(column.get(sweep.points[a]));
    const y = rank(column.get(sweep.points[b]));
    if (x === y) return a - b;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (ascending ? c : -c) || a - b;
  });
  drawRows();
}

const head = document.querySelector('#runs thead').insertRow();
for (const column of columns) {
  const th = document.createElement('th');
  th.textContent = column.label;
  th.addEventListener('click', () => sortBy(th, column));
  head.appendChild(th);
}
drawHeatmap();
drawRows();
`;
