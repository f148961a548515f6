import test from 'ava';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import smaCross from '../../examples/sma-cross.js';
import { runBacktest } from '../../run/run-backtest.js';
import { syntheticStore } from '../run/run-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

// In-page code is passed as strings: the project compiles without the DOM library.
// A chart drew when one of its canvases has a size and pixels that are not the background.
const DRAWN_CHARTS = `[...document.querySelectorAll('#equity-chart, #candle-charts .chart')].map((chart) => ({
  id: chart.id || chart.dataset.symbol,
  drawn: [...chart.querySelectorAll('canvas')].some((canvas) => {
    if (canvas.width === 0 || canvas.height === 0) return false;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] > 0 && (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200)) return true;
    }
    return false;
  }),
}))`;
const METRIC_CELLS = `Object.fromEntries([...document.querySelectorAll('#metrics tr')].map((row) => [row.cells[0].textContent, row.cells[1].textContent]))`;

test('report.html opens offline in Chromium and draws the equity, drawdown and candle charts', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-report-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = await syntheticStore(['AAPL', 'MSFT'], '2024-02-26', '2024-03-06', { seed: 3 });
  const result = await runBacktest({ strategy: smaCross, from: '2024-03-04', to: '2024-03-06', store, cash: 100_000, params: { fast: 5, slow: 12 }, out: dir });
  t.true(result.fills.length > 0, 'the run traded, so the candles carry fill markers');

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
    // The charts draw on the next animation frames after load: poll, with a generous limit.
    let charts: Array<{ id: string; drawn: boolean }> = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      charts = await page.evaluate(DRAWN_CHARTS);
      if (charts.length > 0 && charts.every((chart) => chart.drawn)) break;
    }
    t.deepEqual(charts, [
      { id: 'equity-chart', drawn: true },
      { id: 'AAPL', drawn: true },
      { id: 'MSFT', drawn: true },
    ]);
    const metrics = (await page.evaluate(METRIC_CELLS)) as Record<string, string>;
    t.is(metrics['total return'], `${(result.metrics.totalReturn * 100).toFixed(2)} %`);
    t.is(metrics.trades, String(result.metrics.trades));
    t.is(await page.locator('#days tbody tr').count(), 3);
    t.deepEqual(problems, [], 'no error in the page');
    t.deepEqual(outside, [], 'the page fetched nothing beyond the file');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
