import test from 'ava';
import { stat } from 'node:fs/promises';
import { createControlServer, type ControlServer, type ControlServerOptions } from '../../control/control-server.js';
import { readRunFile, runFilePath, writeRunFile } from '../../control/run-file.js';
import type { Session } from '../../session/session.js';
import { deadPid, manualSession, tempDir } from './session-fixture.js';

interface Fixture {
  session: Session;
  server: ControlServer;
  runDir: string;
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; json: any }>;
  done(): Promise<void>;
}

async function fixture(options: Omit<ControlServerOptions, 'runDir'> = {}): Promise<Fixture> {
  const dir = await tempDir('control');
  const session = await manualSession();
  const server = await createControlServer(session, { runDir: dir.path, ...options });
  const call = async (method: string, path: string, body?: unknown, token: string | null = server.token) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, json: await response.json() };
  };
  return {
    session,
    server,
    runDir: dir.path,
    call,
    async done() {
      await server.close();
      await session.stop();
      await dir.remove();
    },
  };
}

test('refuses requests without the token, or with a wrong one, with 401 and a JSON error', async (t) => {
  const f = await fixture();
  for (const token of [null, 'nope', 'f'.repeat(64), f.server.token.slice(0, -1)]) {
    const { status, json } = await f.call('GET', '/v1/status', undefined, token);
    t.is(status, 401, `token ${token}`);
    t.is(json.error.code, 'UNAUTHORIZED');
    t.regex(json.error.message, /Authorization: Bearer/);
  }
  const add = await f.call('POST', '/v1/symbols', { symbol: 'TSLA' }, 'wrong');
  t.is(add.status, 401);
  t.deepEqual(f.session.listDynamic(), [], 'an unauthorized add must not reach the session');
  t.is((await f.call('GET', '/v1/status')).status, 200);
  await f.done();
});

test('answers bad JSON, unknown routes, fields and parameters with 400 and a helpful message', async (t) => {
  const f = await fixture();
  const cases: Array<[string, string, unknown, string, RegExp]> = [
    ['POST', '/v1/symbols', '{"symbol": "TSLA"', 'BAD_JSON', /not valid JSON/],
    ['POST', '/v1/symbols', '', 'BAD_JSON', /needs a JSON body/],
    ['POST', '/v1/symbols', '["TSLA"]', 'BAD_REQUEST', /JSON object/],
    ['POST', '/v1/symbols', { symbl: 'TSLA' }, 'BAD_REQUEST', /Unknown field symbl/],
    ['POST', '/v1/symbols', { symbol: 'TSLA', wait: 'yes' }, 'BAD_REQUEST', /"wait" must be true or false/],
    ['DELETE', '/v1/symbols/AAPL?imediate=true', undefined, 'BAD_REQUEST', /Unknown query parameter "imediate"/],
    ['DELETE', '/v1/symbols/AAPL?immediate=maybe', undefined, 'BAD_REQUEST', /must be true or false/],
    ['GET', '/v1/nope', undefined, 'UNKNOWN_ROUTE', /No route GET \/v1\/nope\. Routes: GET \/v1\/status/],
    ['PUT', '/v1/status', undefined, 'UNKNOWN_ROUTE', /No route PUT/],
  ];
  for (const [method, path, body, code, message] of cases) {
    const { status, json } = await f.call(method, path, body);
    t.is(status, 400, `${method} ${path} ${JSON.stringify(body)}`);
    t.is(json.error.code, code);
    t.regex(json.error.message, message);
  }
  await f.done();
});

test('refuses a body over the size limit with 413', async (t) => {
  const f = await fixture();
  const { status, json } = await f.call('POST', '/v1/symbols', { symbol: 'TSLA', streams: ['1m'], padding: 'x'.repeat(20_000) });
  t.is(status, 413);
  t.is(json.error.code, 'BODY_TOO_LARGE');
  t.deepEqual(f.session.listDynamic(), []);
  await f.done();
});

test('adds, lists and removes a symbol round trip', async (t) => {
  const f = await fixture();
  await f.session.advance(90);
  const added = await f.call('POST', '/v1/symbols', { symbol: 'TSLA', streams: ['1m', '5m'] });
  t.is(added.status, 202);
  t.like(added.json, { mode: 'backtest', symbol: 'TSLA', streams: ['1m', '5m'], status: 'queued', waited: false });

  let listed = await f.call('GET', '/v1/symbols/dynamic');
  t.is(listed.status, 200);
  t.like(listed.json, { mode: 'backtest', date: '2024-03-08', timeZone: 'America/New_York' });
  t.deepEqual(listed.json.symbols.map((s: any) => [s.symbol, s.status]), [['TSLA', 'queued']]);
  t.is(listed.json.symbols[0].addedAt.sim, '2024-03-08T16:00:00.000Z', 'added at 11:00 New York, simulated');

  await f.session.advance(0);
  listed = await f.call('GET', '/v1/symbols/dynamic');
  t.is(listed.json.symbols[0].status, 'active');

  const removed = await f.call('DELETE', '/v1/symbols/TSLA');
  t.is(removed.status, 202);
  t.like(removed.json, { symbol: 'TSLA', immediate: false, previousStatus: 'active', status: 'draining', waited: false });
  await f.session.advance(1);
  listed = await f.call('GET', '/v1/symbols/dynamic');
  t.is(listed.json.symbols[0].status, 'removed');
  await f.done();
});

test('with wait, an add answers when the symbol is active, with what it caught up', async (t) => {
  const f = await fixture();
  await f.session.advance(30);
  const answer = f.call('POST', '/v1/symbols', { symbol: 'TSLA', streams: ['1m', '5m'], wait: true });
  // The add is caught up at the next clock step; the request waits for it.
  while (f.session.listDynamic().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await f.session.advance(0);
  const { status, json } = await answer;
  t.is(status, 200);
  t.like(json, { symbol: 'TSLA', status: 'active', waited: true, caughtUp: { '1m': 30, '5m': 6 } });
  await f.done();
});

test('with wait, an add that fails answers 200 with the failure on the symbol', async (t) => {
  const f = await fixture();
  const answer = f.call('POST', '/v1/symbols', { symbol: 'NVDA', wait: true });
  while (f.session.listDynamic().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await f.session.advance(0);
  const { status, json } = await answer;
  t.is(status, 200);
  t.like(json, { symbol: 'NVDA', status: 'failed', waited: true, error: { code: 'NO_DATA' } });
  t.regex(json.error.message, /No 1m bars for NVDA/);
  await f.done();
});

// 600 failed adds once made the status 326 KB: it keeps the last failures and counts them all.
for (const listed of [undefined, 2, 0]) {
  test(`status lists the last ${listed ?? 'hundred'} failed symbols and counts them all`, async (t) => {
    const f = await fixture(listed === undefined ? {} : { failedSymbolsListed: listed });
    const missing = ['NOA', 'NOB', 'NOC', 'NOD'];
    for (const symbol of missing) {
      f.session.addSymbol(symbol).catch(() => undefined);
      await f.session.advance(1);
    }
    const { json } = await f.call('GET', '/v1/status');
    const kept = missing.slice(missing.length - Math.min(listed ?? 100, missing.length));
    t.deepEqual(json.symbols.map((s: { symbol: string }) => s.symbol), ['AAPL', 'MSFT', ...kept]);
    t.true(json.symbols.slice(2).every((s: { status: string }) => s.status === 'failed'));
    t.deepEqual(json.failures, { total: 4, listed: kept.length });
    await f.done();
  });
}

test('refuses a negative number of failed symbols to list', async (t) => {
  const dir = await tempDir('control');
  const session = await manualSession();
  await t.throwsAsync(createControlServer(session, { runDir: dir.path, failedSymbolsListed: -1 }), { message: /failedListed must be a whole number of at least 0/ });
  await session.stop();
  await dir.remove();
});

test("maps the session's refusals to 409, 404 and 422", async (t) => {
  const f = await fixture();
  await f.call('POST', '/v1/symbols', { symbol: 'TSLA' });
  const cases: Array<[string, string, unknown, number, string]> = [
    ['POST', '/v1/symbols', { symbol: 'TSLA' }, 409, 'DUPLICATE_SYMBOL'],
    ['POST', '/v1/symbols', { symbol: 'AAPL' }, 409, 'ALREADY_CONFIGURED'],
    ['POST', '/v1/symbols', { symbol: 'bad/../sym' }, 422, 'INVALID_SYMBOL'],
    ['POST', '/v1/symbols', {}, 422, 'INVALID_SYMBOL'],
    ['POST', '/v1/symbols', { symbol: 'IBM', streams: ['2m'] }, 422, 'INVALID_INTERVAL'],
    ['DELETE', '/v1/symbols/IBM', undefined, 404, 'UNKNOWN_SYMBOL'],
    ['DELETE', `/v1/symbols/${encodeURIComponent('../x')}`, undefined, 422, 'INVALID_SYMBOL'],
  ];
  for (const [method, path, body, status, code] of cases) {
    const answer = await f.call(method, path, body);
    t.is(answer.status, status, `${method} ${path} ${JSON.stringify(body)}`);
    t.is(answer.json.error.code, code);
  }
  await f.session.stop();
  const late = await f.call('POST', '/v1/symbols', { symbol: 'IBM' });
  t.is(late.status, 409);
  t.is(late.json.error.code, 'NOT_RUNNING');
  await f.done();
});

test('reports status: state, clock, symbols with counters, pauses', async (t) => {
  const f = await fixture();
  await f.session.advance(60);
  const { status, json } = await f.call('GET', '/v1/status');
  t.is(status, 200);
  t.like(json, {
    pid: process.pid,
    mode: 'backtest',
    date: '2024-03-08',
    calendar: 'nyse',
    timeZone: 'America/New_York',
    state: 'streaming',
    running: true,
    clock: { ms: Date.parse('2024-03-08T15:30:00Z'), iso: '2024-03-08T15:30:00.000Z' },
    hours: { open: '2024-03-08T14:30:00.000Z', close: '2024-03-08T21:00:00.000Z', early: false },
  });
  t.deepEqual(json.symbols.map((s: any) => [s.symbol, s.origin, s.status, s.streamed]), [
    ['AAPL', 'configured', 'active', { '1m': 60 }],
    ['MSFT', 'configured', 'active', { '1m': 60, '5m': 12 }],
  ]);
  t.is(json.pauses.count, 1, 'the start is one pause');
  await f.done();
});

test('the session is undisturbed by bad requests', async (t) => {
  const f = await fixture();
  const bad = [
    f.call('POST', '/v1/symbols', '{{{'),
    f.call('POST', '/v1/symbols', { symbol: 42 }),
    f.call('POST', '/v1/symbols', { symbol: 'AAPL' }),
    f.call('DELETE', '/v1/symbols/ZZZZ'),
    f.call('GET', '/v1/symbols/dynamic', undefined, 'bad'),
    f.call('GET', '/../../etc/passwd'),
  ];
  t.true((await Promise.all(bad)).every((answer) => answer.status >= 400 && answer.status < 500));
  await f.session.advance(390);
  const summary = await f.session.done;
  t.false(summary.stopped);
  t.deepEqual(summary.added, []);
  t.deepEqual(summary.symbols.map((s) => [s.symbol, s.status, s.streamed['1m']]), [['AAPL', 'active', 390], ['MSFT', 'active', 390]]);
  t.is(f.session.state, 'closed');
  await f.done();
});

test('writes a 0600 run file with a fresh token on loopback, and deletes it on close', async (t) => {
  const f = await fixture();
  const file = runFilePath(f.runDir);
  t.is((await stat(file)).mode & 0o777, 0o600);
  const runFile = await readRunFile(f.runDir);
  t.like(runFile, { version: 1, host: '127.0.0.1', port: f.server.port, pid: process.pid, mode: 'backtest', date: '2024-03-08' });
  t.regex(runFile!.token, /^[0-9a-f]{64}$/);
  t.is(runFile!.token, f.server.token);
  t.false(Number.isNaN(Date.parse(runFile!.startedAt)));
  t.is(f.server.host, '127.0.0.1');
  await f.server.close();
  await t.throwsAsync(stat(file), { code: 'ENOENT' });
  await f.done();
});

test('two servers never share a token', async (t) => {
  const a = await fixture();
  const b = await fixture();
  t.not(a.server.token, b.server.token);
  t.is((await a.call('GET', '/v1/status', undefined, b.server.token)).status, 401);
  await a.done();
  await b.done();
});

test('refuses a run directory a live session serves, and takes over a stale run file', async (t) => {
  const f = await fixture();
  const second = await manualSession();
  await t.throwsAsync(createControlServer(second, { runDir: f.runDir }), { message: /Another tapedeck session \(pid \d+, backtest 2024-03-08\) is running with run dir/ });
  await f.server.close();

  await writeRunFile(f.runDir, { version: 1, host: '127.0.0.1', port: 1, pid: deadPid(), token: 'old', startedAt: new Date().toISOString(), mode: 'backtest', date: '2024-03-08' });
  const server = await createControlServer(second, { runDir: f.runDir });
  t.is((await readRunFile(f.runDir))?.token, server.token);
  await server.close();
  await second.stop();
  await f.done();
});
