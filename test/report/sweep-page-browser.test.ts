import test from 'ava';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runSweep } from '../../sweep/run-sweep.js';
import { DAYS, FLAT_DAILY, fixtureStore } from '../sweep/sweep-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
// In-page code as strings: the project compiles without the DOM library.
const HEATMAP = `[...document.querySelectorAll('#heatmap tbody td')].map((cell) => ({ x: cell.dataset.x, y: cell.dataset.y, value: Number(cell.dataset.value), color: getComputedStyle(cell).backgroundColor }))`;
const column = (i: number) => `[...document.querySelectorAll('#runs tbody tr')].map((row) => row.cells[${i}].textContent)`;

test('sweep.html opens offline in Chromium: a heatmap of the metric over two params, and a table sorted by a click', async (t) => {
  const { root, data } = await fixtureStore(t);
  const out = join(root, 'sweep');
  const sweep = await runSweep({ strategy: FLAT_DAILY, from: DAYS[0]!, to: DAYS[0]!, grid: ['every=11,17,23', 'hold=3,5'], data, workers: 1, rank: 'totalReturn', out });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith('file:')) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.goto(pathToFileURL(join(out, 'sweep.html')).href, { waitUntil: 'load' });

    const cells = (await page.evaluate(HEATMAP)) as Array<{ x: string; y: string; value: number; color: string }>;
    t.deepEqual(
      cells.map(({ x, y, value }) => [x, y, value]),
      [3, 5].flatMap((hold) => [11, 17, 23].map((every) => [String(every), String(hold), sweep.points.find((p) => p.params.every === every && p.params.hold === hold)!.run!.metrics.totalReturn])),
    );
    const rgb = (color: string) => color.match(/\d+/g)!.map(Number) as [number, number, number];
    const best = cells.reduce((a, b) => (b.value > a.value ? b : a));
    const worst = cells.reduce((a, b) => (b.value < a.value ? b : a));
    t.true(best.value > worst.value, 'the grid gave different returns');
    t.true(rgb(best.color)[1] > rgb(best.color)[0], `the best cell is green: ${best.color}`);
    t.true(rgb(worst.color)[0] > rgb(worst.color)[1], `the worst cell is red: ${worst.color}`);

    t.deepEqual(await page.evaluate(column(0)), sweep.ranked.map((p) => String(p.params.every)), 'ranked order at first');
    await page.click('#runs th:has-text("every")');
    t.deepEqual(await page.evaluate(column(0)), ['11', '11', '17', '17', '23', '23']);
    await page.click('#runs th:has-text("every")');
    t.deepEqual(await page.evaluate(column(0)), ['23', '23', '17', '17', '11', '11']);
    t.is(await page.getAttribute('#runs th:has-text("every")', 'aria-sort'), 'descending');
    t.deepEqual(problems, []);
    t.deepEqual(outside, []);
  } finally {
    await browser.close();
  }
});
