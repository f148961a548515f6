import test, { type ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createControlServer } from '../../control/control-server.js';
import { createInspectorServer, type InspectorServer } from '../../inspector/inspector-server.js';
import type { AnySession } from '../../session/session.js';
import { tempDir } from '../control/session-fixture.js';
import { dayStore, startedSession } from './inspector-fixture.js';
import { createSession, ReplayFeed, silentLogger, storeHistory } from 'tapedeck';
import { acceleratedClock } from '../../data-plane/live-clock.js';
import { calendar, storeWith, today } from '../support/live-fixture.js';
import { runCli, startCli, workspace } from '../cli/cli-process.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

// In-page code is passed as strings: the project compiles without the DOM library.
// Mutation records are read after the fact, so each one's old value is what the card showed before it changed.
const RECORD_TSLA_STATUSES = `(() => {
  window.tslaShown = [];
  new MutationObserver((records) => {
    for (const record of records) if (record.target.dataset.symbol === 'TSLA' && record.oldValue) window.tslaShown.push(record.oldValue);
  }).observe(document.querySelector('#cards'), { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-status'] });
})()`;
const TSLA_STATUSES = `[...window.tslaShown, document.querySelector('.card[data-symbol="TSLA"]').dataset.status]`;

const LOG_ROWS = `[...document.querySelectorAll('#log tbody tr')].map((row) => [...row.cells].slice(2).map((cell) => cell.textContent))`;

/** Polls a page condition from Node: the page's CSP forbids the string evaluation waitForFunction would use. */
async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`page condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Serves `session`'s inspector behind its control server, opens it in Chromium and runs `use`;
 * then the page must have fetched nothing from elsewhere (it works offline) and shown no error
 * (a 409 the page shows as a refusal aside). Stops the session at the end.
 */
async function inBrowser(t: ExecutionContext, session: AnySession & { stop(): Promise<unknown> }, use: (page: Page, inspector: InspectorServer) => Promise<void>): Promise<void> {
  const runDir = await tempDir('inspector-browser');
  const control = await createControlServer(session, { runDir: runDir.path });
  const inspector = await createInspectorServer(session, { control: { port: control.port, token: control.token } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('409')) problems.push(message.text());
    });
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.host === `127.0.0.1:${inspector.port}`) return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    await use(page, inspector);
    t.deepEqual(outside, []);
    t.deepEqual(problems, []);
  } finally {
    await browser.close();
    await inspector.close();
    await control.close();
    await session.stop();
    await runDir.remove();
  }
}

test('in a real browser, TSLA added from the page goes through loading and catching up to active', async (t) => {
  t.timeout(30_000);
  if (!existsSync(CHROMIUM)) {
    t.fail(`Chromium is not installed at ${CHROMIUM}; this test needs it (CI installs it: apt-get install chromium).`);
    return;
  }
  // Numeric speed, and loads slowed to 300 ms, so the page can see every state of the add.
  const session = await startedSession({ speed: 120, store: await dayStore(300) });
  await inBrowser(t, session, async (page, inspector) => {
  await page.goto(inspector.url);
  t.is(page.url(), inspector.origin, 'the secret left the address bar for a cookie');
  await page.waitForSelector('#session-state[data-state="streaming"]');
  t.is(await page.textContent('#session-state'), 'streaming');
  t.regex((await page.getAttribute('[data-state="session.running.streaming"]', 'class'))!, /\bactive\b/, 'the current state is highlighted in the statechart');
  t.regex((await page.textContent('#session-meta'))!, /2024-03-08 · nyse · backtest/);
  await page.waitForSelector('.card[data-symbol="AAPL"][data-status="active"]');
  await until(async () => /^\d\d:\d\d:\d\d$/.test((await page.textContent('#sim-clock')) ?? ''));

  // A few minutes into the day, so TSLA has bars to catch up.
  await until(async () => /^1m [3-9]|^1m \d\d/.test((await page.textContent('.card[data-symbol="AAPL"] .c-streamed')) ?? ''));

  await page.evaluate(RECORD_TSLA_STATUSES);
  await page.fill('#control-form input[name="symbol"]', 'tsla');
  await page.click('#control-form button[value="add"]');
  await page.waitForSelector('#control-result.ok');
  t.is(await page.textContent('#control-result'), 'add TSLA: queued');
  await page.waitForSelector('.card[data-symbol="TSLA"][data-status="active"]', { timeout: 15_000 });
  const statuses = (await page.evaluate(TSLA_STATUSES)) as string[];
  t.log(`TSLA card showed: ${statuses.join(' → ')}`);
  t.is(statuses[0], 'queued');
  const loading = statuses.indexOf('loading');
  const catchingUp = statuses.indexOf('catchingUp');
  const active = statuses.indexOf('active');
  t.true(loading > 0 && catchingUp > loading && active > catchingUp, `queued, loading, catchingUp, active in order: ${statuses.join(', ')}`);
  t.is(await page.textContent('.card[data-symbol="TSLA"] .trail'), 'queued → loading → catchingUp → active');

  await until(async () => ((await page.getAttribute('.card[data-symbol="TSLA"] polyline', 'points')) ?? '').split(' ').length > 5);
  t.regex((await page.textContent('.card[data-symbol="TSLA"] .c-caughtUp'))!, /^1m [1-9]\d*$/, 'the card counts the bars caught up');
  t.regex((await page.getAttribute('#symbol-chart [data-state="symbol.active"]', 'class'))!, /\bactive\b/, 'the symbol chart follows TSLA');
  t.true((await page.locator('#log tbody tr', { hasText: 'ADD_SYMBOL' }).count()) > 0, 'the event log shows the add');
  t.true((await page.locator('#log tbody tr.state', { hasText: 'catchingUp' }).count()) > 0, 'and the pause it caused');
  t.regex((await page.textContent('#pauses'))!, /^pauses 2 · total/);
  t.regex((await page.textContent('#last-transition'))!, /^last: /);

  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}inspector.png`, fullPage: true });

  await page.fill('#control-form input[name="symbol"]', 'AAPL');
  await page.click('#control-form button[value="add"]');
  await page.waitForSelector('#control-result.error');
  t.regex((await page.textContent('#control-result'))!, /^ALREADY_CONFIGURED AAPL is one of the session's configured symbols/, 'SessionError codes are shown');
  });
});

test('in a real browser, a live replay session: TSLA added from the page loads and streams beside AAPL', async (t) => {
  t.timeout(30_000);
  if (!existsSync(CHROMIUM)) {
    t.fail(`Chromium is not installed at ${CHROMIUM}; this test needs it (CI installs it: apt-get install chromium).`);
    return;
  }
  // A simulated minute every two real seconds, and history loads slowed to 300 ms, so the page can see the add load.
  const store = await storeWith(['AAPL', 'TSLA']);
  const clock = acceleratedClock(today.open + 2 * 60_000, 30);
  const history = storeHistory(store);
  const slowHistory = { getBars: async (symbol: string, start: number, end: number) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return history.getBars(symbol, start, end);
  } };
  const feed = new ReplayFeed({ store, clock, calendar, pollMs: 20 });
  const session = createSession({ mode: 'live', feed, history: slowHistory, clock, calendar, symbols: ['AAPL'], tickMs: 20, logger: silentLogger });
  await session.start();
  await inBrowser(t, session, async (page, inspector) => {
  await page.goto(inspector.url);
  t.is(page.url(), inspector.origin, 'the secret left the address bar for a cookie');
  await page.waitForSelector('#session-state[data-state="streaming"]');
  t.regex((await page.getAttribute('[data-state="liveSession.running.streaming"]', 'class'))!, /\bactive\b/, 'the live statechart is drawn and its state highlighted');
  t.regex((await page.textContent('#session-meta'))!, /2024-03-08 · .+ · live/);
  await page.waitForSelector('.card[data-symbol="AAPL"][data-status="active"]');
  await until(async () => /^1m [1-9]/.test((await page.textContent('.card[data-symbol="AAPL"] .c-streamed')) ?? ''));

  await page.evaluate(RECORD_TSLA_STATUSES);
  await page.fill('#control-form input[name="symbol"]', 'tsla');
  await page.click('#control-form button[value="add"]');
  await page.waitForSelector('#control-result.ok');
  t.is(await page.textContent('#control-result'), 'add TSLA: loading', 'nothing batches a live add: it loads at once');
  await page.waitForSelector('.card[data-symbol="TSLA"][data-status="active"]', { timeout: 15_000 });
  const statuses = (await page.evaluate(TSLA_STATUSES)) as string[];
  t.log(`TSLA card showed: ${statuses.join(' → ')}`);
  t.deepEqual(statuses, ['queued', 'loading', 'active'], 'a live add loads its history and streams, without a pause');
  t.is(await page.textContent('.card[data-symbol="TSLA"] .trail'), 'queued → loading → active');
  t.regex((await page.textContent('.card[data-symbol="TSLA"] .c-caughtUp'))!, /^1m [1-9]\d*$/, 'the card counts the history bars written on load');
  t.regex((await page.getAttribute('#symbol-chart [data-state="symbol.active"]', 'class'))!, /\bactive\b/, 'the symbol chart follows TSLA');
  t.true((await page.locator('#log tbody tr', { hasText: 'ADD_SYMBOL' }).count()) > 0, 'the event log shows the add');
  const rows = (await page.evaluate(LOG_ROWS)) as string[][];
  t.true(rows.some(([actor, event, detail]) => actor === 'TSLA' && event === 'LOAD' && detail === 'from session'), 'the log names the live symbol actor');
  t.regex((await page.textContent('#pauses'))!, /^pauses 0/, 'a live session never pauses as a whole');
  });
});

test('tapedeck backtest --inspect prints the page, and TSLA added there becomes active through the control API', async (t) => {
  t.timeout(40_000);
  if (!existsSync(CHROMIUM)) {
    t.fail(`Chromium is not installed at ${CHROMIUM}; this test needs it (CI installs it: apt-get install chromium).`);
    return;
  }
  const ws = await workspace();
  t.teardown(() => ws.remove());
  const backtest = startCli(['backtest', '--date', '2024-03-08', '--symbols', 'AAPL', '--speed', '60', '--data', ws.data, '--run-dir', ws.runDir, '--inspect']);
  t.teardown(() => backtest.kill());
  await backtest.waitFor(/Inspector: http:\/\/127\.0\.0\.1:\d+\/\?secret=[\w-]+ — open it in a browser/);
  const url = /Inspector: (http:\/\/127\.0\.0\.1:\d+\/\?secret=[\w-]+)/.exec(backtest.stdout)![1]!;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('#session-state[data-state="streaming"]');
    await page.fill('#control-form input[name="symbol"]', 'TSLA');
    await page.click('#control-form button[value="add"]');
    await page.waitForSelector('.card[data-symbol="TSLA"][data-status="active"]', { timeout: 15_000 });
    t.is(await page.textContent('.card[data-symbol="TSLA"] .trail'), 'queued → loading → catchingUp → active');
    const status = await runCli(['session', 'status', '--json', '--run-dir', ws.runDir]);
    t.is(JSON.parse(status.stdout).symbols.find((s: { symbol: string }) => s.symbol === 'TSLA')?.status, 'active', 'the CLI sees the add made in the page');
  } finally {
    await browser.close();
  }
  backtest.child.kill('SIGINT');
  t.is((await backtest.exited).code, 0);
});
