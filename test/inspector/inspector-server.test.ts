import test from 'ava';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { InspectionEvent, Observer } from 'xstate';
import { createControlServer } from '../../control/control-server.js';
import type { UpdateMessage } from '../../inspector/inspector-messages.js';
import { createInspectorServer, type InspectorServer } from '../../inspector/inspector-server.js';
import type { Session } from '../../session/session.js';
import { tempDir } from '../control/session-fixture.js';
import { openEvents, startedSession, waitUntil } from './inspector-fixture.js';

/** What the inspector page sends: its secret's cookie, and on control requests its header. */
const pageHeaders = (server: InspectorServer): Record<string, string> => ({ 'x-tapedeck-inspector': '1', cookie: `${server.secretCookie}=${server.secret}` });

async function call(server: InspectorServer, method: string, path: string, body?: unknown, headers: Record<string, string> = pageHeaders(server)) {
  const response = await fetch(new URL(path, server.origin), {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

/** A raw request, for headers fetch will not let a test forge. */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Counts what xstate hands to inspection observers of the session, and how many are subscribed. */
function countInspection(session: Session) {
  const system = session.actor.system;
  const inspect = system.inspect.bind(system);
  const counts = { subscribed: 0, delivered: 0 };
  system.inspect = (observer: Observer<InspectionEvent> | ((event: InspectionEvent) => void)) => {
    const next = typeof observer === 'function' ? observer : (event: InspectionEvent) => observer.next?.(event);
    counts.subscribed++;
    const subscription = inspect((event) => {
      counts.delivered++;
      next(event);
    });
    return {
      unsubscribe() {
        counts.subscribed--;
        subscription.unsubscribe();
      },
    };
  };
  return counts;
}

const updates = (messages: Array<{ event: string; data: any }>): UpdateMessage[] => messages.filter((m) => m.event === 'update').map((m) => m.data);

test('serves the page, its script and style, and both statecharts, on 127.0.0.1 only', async (t) => {
  const session = await startedSession();
  const server = await createInspectorServer(session);
  t.regex(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?secret=[\w-]{43}$/);

  const page = await call(server, 'GET', '/');
  t.is(page.status, 200);
  t.regex(page.headers.get('content-type')!, /^text\/html/);
  t.regex(page.headers.get('content-security-policy')!, /default-src 'none'; script-src 'self'/);
  t.true(page.text.includes('data-machine="session"') && page.text.includes('data-machine="symbol"'), 'both statecharts are inline');
  t.false(/https?:\/\/(?!www\.w3\.org)/.test(page.text), 'nothing is loaded from the network');

  const script = await call(server, 'GET', '/inspector.js');
  t.regex(script.headers.get('content-type')!, /^text\/javascript/);
  t.notThrows(() => new Function(script.text), 'the page script parses');
  t.is((await call(server, 'GET', '/inspector.css')).status, 200);
  const svg = await call(server, 'GET', '/diagram/symbol.svg');
  t.regex(svg.headers.get('content-type')!, /^image\/svg\+xml/);
  t.true(svg.text.includes('data-state="symbol.catchingUp"'));
  t.is((await call(server, 'GET', '/nope')).status, 404);

  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal);
  if (external) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: external.address, port: server.port });
      socket.once('connect', () => resolve(socket.destroy() && false));
      socket.once('error', () => resolve(true));
    });
    t.true(refused, `not reachable on ${external.address}`);
  }
  await t.throwsAsync(createInspectorServer(session, { host: '0.0.0.0' as '127.0.0.1' }), { message: /binds 127\.0\.0\.1 only/ });
  await t.throwsAsync(createInspectorServer(session, { port: 70_000 }), { message: /from 0 \(a free port\) to 65535/ });
  await t.throwsAsync(createInspectorServer(session, { port: server.port }), { message: new RegExp(`Port ${server.port} on 127\\.0\\.0\\.1 is in use`) });
  await server.close();
  await session.stop();
});

test('refuses other host names and control requests that do not come from its page', async (t) => {
  const session = await startedSession();
  const server = await createInspectorServer(session);
  t.is(await rawGet(server.port, '/', { host: `evil.example:${server.port}` }), 421, 'DNS rebinding');
  t.is(await rawGet(server.port, '/events', { host: 'evil.example' }), 421);
  t.is(await rawGet(server.port, '/', { host: `localhost:${server.port}`, cookie: pageHeaders(server).cookie! }), 200);

  const bare = await call(server, 'POST', '/control/v1/symbols', { symbol: 'TSLA' }, { cookie: pageHeaders(server).cookie! });
  t.is(bare.status, 403);
  t.is(bare.json.error.code, 'FORBIDDEN');
  const foreign = await call(server, 'POST', '/control/v1/symbols', { symbol: 'TSLA' }, { ...pageHeaders(server), origin: 'http://evil.example' });
  t.is(foreign.status, 403);
  t.deepEqual(session.listDynamic(), [], 'no refused request reached the session');
  await server.close();
  await session.stop();
});

test('streams the state, status steps, transitions, log and prices of an add', async (t) => {
  const session = await startedSession();
  const server = await createInspectorServer(session, { updateMs: 20 });
  const events = await openEvents(server);
  const init = (await events.next((m) => m.event === 'init')).data;
  t.like(init, { control: 'in-process', session: { date: '2024-03-08', timeZone: 'America/New_York', calendar: 'nyse', mode: 'backtest' } });
  t.is(init.state.leaf, 'streaming');
  t.deepEqual(init.state.active, ['session', 'session.running', 'session.running.streaming']);
  t.deepEqual(init.symbols.map((s: any) => [s.symbol, s.status, s.streams]), [['AAPL', 'active', ['1m']], ['MSFT', 'active', ['1m', '5m']]]);
  t.is(init.pauses.count, 1);

  await session.advance(30);
  const charted = await events.next((m) => m.event === 'update' && m.data.charts?.some((c: any) => c.symbol === 'AAPL' && c.from + c.closes.length === 30));
  t.is(charted.data.clock, session.tradingSession.open + 30 * 60_000);
  const ticked = await events.next((m) => m.event === 'update' && m.data.transitions?.some((x: any) => x.machine === 'session'));
  t.deepEqual(ticked.data.transitions.find((x: any) => x.machine === 'session').edges, ['session.running.streaming#1'], 'TICK, taken inside streaming');

  const added = await call(server, 'POST', '/control/v1/symbols', { symbol: 'TSLA', streams: ['1m', '5m'] });
  t.is(added.status, 202);
  t.like(added.json, { symbol: 'TSLA', status: 'queued', waited: false });
  await session.advance(0);
  await events.next((m) => m.event === 'update' && m.data.symbols?.some((s: any) => s.symbol === 'TSLA' && s.status === 'active'));
  await events.next((m) => m.event === 'update' && m.data.charts?.some((c: any) => c.symbol === 'TSLA'));

  const all = updates(events.messages);
  t.deepEqual(all.flatMap((u) => u.steps ?? []).filter((s) => s.symbol === 'TSLA').map((s) => s.status), ['queued', 'loading', 'catchingUp', 'active']);
  const card = all.flatMap((u) => u.symbols ?? []).filter((s) => s.symbol === 'TSLA').at(-1)!;
  t.like(card, { origin: 'dynamic', status: 'active', caughtUp: { '1m': 30, '5m': 6 } });
  t.true(card.loaded > 380);
  const tslaChart = all.flatMap((u) => u.charts ?? []).filter((c) => c.symbol === 'TSLA');
  t.is(tslaChart.reduce((n, c) => Math.max(n, c.from + c.closes.length), 0), 30, 'the caught-up bars are on the chart');
  const log = all.flatMap((u) => u.log ?? []);
  t.truthy(log.find((e) => e.actor === 'session' && e.event === 'ADD_SYMBOL' && e.detail?.includes('symbol=TSLA')));
  t.truthy(log.find((e) => e.actor === 'TSLA' && e.event === 'LOAD' && e.from === 'session'));
  t.truthy(log.find((e) => e.actor === 'TSLA' && e.event === 'LOADED' && e.from === 'session'));
  t.deepEqual(log.filter((e) => e.actor === 'state' && !e.event.startsWith('pause ')).map((e) => e.event), ['streaming', 'paused', 'catchingUp', 'reactivating', 'streaming'], 'every state passed through, from the page connecting on');
  t.truthy(log.find((e) => e.event === 'pause begin' && e.detail === 'add TSLA'));
  t.true(log.every((e) => e.sim === session.tradingSession.open + 30 * 60_000 || e.sim === session.tradingSession.open), 'simulated time on every entry');
  const symbolMarks = all.flatMap((u) => u.transitions ?? []).filter((x) => x.symbol === 'TSLA');
  t.true(symbolMarks.length > 0);
  t.true(symbolMarks.flatMap((x) => x.edges).every((id) => id.startsWith('symbol.')));
  t.like(all.findLast((u) => u.pauses)!.pauses, { count: 2 });
  t.true(JSON.stringify(all).length < 64 * 1024, 'updates stay small');

  events.close();
  await server.close();
  await session.stop();
});

test('inspects the session only while a page is connected', async (t) => {
  const session = await startedSession();
  const counts = countInspection(session);
  const server = await createInspectorServer(session, { updateMs: 20 });
  await session.advance(5);
  t.deepEqual(counts, { subscribed: 0, delivered: 0 }, 'no observer, no work, before any page');

  const first = await openEvents(server);
  const second = await openEvents(server);
  await first.next((m) => m.event === 'init');
  await second.next((m) => m.event === 'init');
  t.is(counts.subscribed, 1, 'one subscription for any number of pages');
  await session.advance(5);
  t.true(counts.delivered > 0);
  await second.next((m) => m.event === 'update' && m.data.log?.some((e: any) => e.event === 'TICK'));

  first.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.is(counts.subscribed, 1, 'still one page watching');
  second.close();
  await waitUntil(() => counts.subscribed === 0);
  const delivered = counts.delivered;
  await session.advance(10);
  session.addSymbol('TSLA');
  await session.advance(0);
  t.is(counts.delivered, delivered, 'nothing inspected after the last page left');

  const again = await openEvents(server);
  const init = await again.next((m) => m.event === 'init');
  t.is(counts.subscribed, 1);
  t.deepEqual(init.data.symbols.map((s: any) => s.symbol), ['AAPL', 'MSFT', 'TSLA']);
  await server.close();
  t.is(counts.subscribed, 0, 'closing the server detaches');
  await session.stop();
});

// The page's buttons reach the session through the control API's own routes either way: forwarded
// to the control server with its token, or served in this process when there is none.
for (const mode of ['control-server', 'in-process'] as const) {
  test(`add and remove through ${mode === 'control-server' ? 'the control server' : 'the in-process control routes'} answer like the control API`, async (t) => {
    const session = await startedSession();
    const dir = await tempDir('inspector');
    const control = mode === 'control-server' ? await createControlServer(session, { runDir: dir.path }) : undefined;
    const server = await createInspectorServer(session, control ? { control: { port: control.port, token: control.token } } : {});
    const events = await openEvents(server);
    t.is((await events.next((m) => m.event === 'init')).data.control, mode);

    const added = await call(server, 'POST', '/control/v1/symbols', { symbol: 'TSLA' });
    t.is(added.status, 202);
    t.like(added.json, { symbol: 'TSLA', streams: ['1m'], status: 'queued' });
    const refusals: Array<[string, string, unknown, number, string]> = [
      ['POST', '/control/v1/symbols', { symbol: 'TSLA' }, 409, 'DUPLICATE_SYMBOL'],
      ['POST', '/control/v1/symbols', { symbol: 'AAPL' }, 409, 'ALREADY_CONFIGURED'],
      ['POST', '/control/v1/symbols', { symbol: 'bad/../x' }, 422, 'INVALID_SYMBOL'],
      ['POST', '/control/v1/symbols', { symbol: 'IBM', streams: [] }, 422, 'INVALID_INTERVAL'],
      ['POST', '/control/v1/symbols', '{"symbol":', 400, 'BAD_JSON'],
      ['DELETE', '/control/v1/symbols/IBM', undefined, 404, 'UNKNOWN_SYMBOL'],
    ];
    for (const [method, path, body, status, code] of refusals) {
      const answer = await call(server, method, path, body);
      t.is(answer.status, status, `${method} ${path} ${JSON.stringify(body)}`);
      t.is(answer.json.error.code, code);
      t.true(answer.json.error.message.length > 10);
    }
    await session.advance(0);
    const removed = await call(server, 'DELETE', '/control/v1/symbols/TSLA?immediate=true');
    t.is(removed.status, 202);
    t.like(removed.json, { symbol: 'TSLA', immediate: true, previousStatus: 'active' });

    if (control) {
      await control.close();
      const unreachable = await call(server, 'POST', '/control/v1/symbols', { symbol: 'IBM' });
      t.is(unreachable.status, 502);
      t.is(unreachable.json.error.code, 'CONTROL_UNREACHABLE');
    }
    events.close();
    await server.close();
    await session.stop();
    await dir.remove();
  });
}

test('a wrong control token is refused by the control server, not worked around', async (t) => {
  const session = await startedSession();
  const dir = await tempDir('inspector');
  const control = await createControlServer(session, { runDir: dir.path });
  const server = await createInspectorServer(session, { control: { port: control.port, token: 'f'.repeat(64) } });
  const answer = await call(server, 'POST', '/control/v1/symbols', { symbol: 'TSLA' });
  t.is(answer.status, 401);
  t.is(answer.json.error.code, 'UNAUTHORIZED');
  t.deepEqual(session.listDynamic(), []);
  await server.close();
  await control.close();
  await session.stop();
  await dir.remove();
});

const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/'],
  ['GET', '/inspector.js'],
  ['GET', '/inspector.css'],
  ['GET', '/diagram/session.svg'],
  ['GET', '/diagram/symbol.svg'],
  ['GET', '/events'],
  ['GET', '/nope'],
  ['GET', '/control/v1/status'],
  ['GET', '/control/v1/symbols/dynamic'],
  ['POST', '/control/v1/symbols', { symbol: 'NVDA' }],
  ['DELETE', '/control/v1/symbols/AAPL?immediate=true'],
];

/** Answers with the status only: an event stream never ends. */
function statusOf(server: InspectorServer, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port: server.port, method, path, agent: false, headers: { ...headers, ...(text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}) } }, (response) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    req.on('error', reject);
    req.end(text);
  });
}

for (const mode of ['control-server', 'in-process'] as const) {
  test(`with ${mode === 'control-server' ? 'a control server' : 'in-process control'}, every route wants the page's secret: without it 401 and nothing changes`, async (t) => {
    const session = await startedSession();
    const dir = await tempDir('inspector');
    const control = mode === 'control-server' ? await createControlServer(session, { runDir: dir.path }) : undefined;
    const server = await createInspectorServer(session, control ? { control: { port: control.port, token: control.token } } : {});
    const secretOfOtherLength = `${server.secretCookie}=${server.secret.slice(1)}`;
    const wrongSecret = `${server.secretCookie}=${'A'.repeat(server.secret.length)}`;
    const otherInspector = `tapedeck-inspector-${server.port + 1}=${server.secret}`;
    const withoutSecret: Array<Record<string, string>> = [{}, { 'x-tapedeck-inspector': '1' }, { 'x-tapedeck-inspector': '1', cookie: wrongSecret }, { cookie: secretOfOtherLength }, { cookie: otherInspector }];
    for (const [method, path, body] of ROUTES) {
      for (const headers of withoutSecret) {
        t.is(await statusOf(server, method, path, { host: `127.0.0.1:${server.port}`, ...headers }, body), 401, `${method} ${path} ${JSON.stringify(headers)}`);
      }
      t.is(await statusOf(server, method, `${path}${path.includes('?') ? '&' : '?'}secret=${server.secret}`, { host: `127.0.0.1:${server.port}` }, body), path === '/' ? 303 : 401, `${method} ${path} with the secret in its query`);
    }
    t.deepEqual(session.listDynamic(), [], 'nothing was added');
    t.is(session.listSymbols().find((s) => s.symbol === 'AAPL')!.status, 'active', 'nothing was removed');

    const page = pageHeaders(server);
    const expected: Record<string, number> = { '/nope': 404, '/control/v1/symbols': 202, '/control/v1/symbols/AAPL?immediate=true': 202 };
    for (const [method, path, body] of ROUTES) {
      t.is(await statusOf(server, method, path, { host: `127.0.0.1:${server.port}`, ...page }, body), expected[path] ?? 200, `${method} ${path} with the secret`);
    }
    t.is(session.listSymbols().find((s) => s.symbol === 'NVDA')?.status, 'queued', 'the add with the secret went through');
    t.is(session.listSymbols().find((s) => s.symbol === 'AAPL')?.status, 'removed', 'and so did the removal');
    await server.close();
    await control?.close();
    await session.stop();
    await dir.remove();
  });
}

test('the printed URL hands the secret over as a cookie for this inspector only, and sends the page to /', async (t) => {
  const session = await startedSession();
  const server = await createInspectorServer(session);
  const opened = await fetch(server.url, { redirect: 'manual' });
  t.is(opened.status, 303);
  t.is(opened.headers.get('location'), '/');
  const cookie = opened.headers.get('set-cookie')!;
  t.is(cookie, `tapedeck-inspector-${server.port}=${server.secret}; Path=/; HttpOnly; SameSite=Strict`);
  const page = await fetch(server.origin, { headers: { cookie: cookie.split(';')[0]! } });
  t.is(page.status, 200);
  t.is((await fetch(`${server.origin}?secret=${'x'.repeat(43)}`, { redirect: 'manual' })).status, 401);
  const other = await createInspectorServer(session);
  t.not(other.secret, server.secret, 'each inspector has its own secret');
  t.is((await fetch(other.origin, { headers: { cookie: cookie.split(';')[0]! } })).status, 401);
  await other.close();
  await server.close();
  await session.stop();
});

/** Sends a 50 MB body (declared, or chunked without a length) and returns the status once an answer comes. */
function postHuge(port: number, headers: Record<string, string>, declared: boolean): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const total = 50 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/control/v1/symbols', agent: false, headers: { ...headers, 'content-type': 'application/json', ...(declared ? { 'content-length': String(total) } : {}) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (part: string) => (text += part));
        response.on('end', () => {
          req.destroy();
          resolve({ status: response.statusCode ?? 0, code: JSON.parse(text).error?.code });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server closing the connection after its answer can cut the upload: the answer is what counts.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    let sent = 0;
    const pump = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return req.once('drain', pump);
      }
      if (sent >= total && !req.destroyed) req.end();
    };
    pump();
  });
}

for (const mode of ['control-server', 'in-process'] as const) {
  test(`a 50 MB body to /control/* gets 413 with ${mode === 'control-server' ? 'a control server' : 'in-process control'}, declared or not`, async (t) => {
    const session = await startedSession();
    const dir = await tempDir('inspector');
    const control = mode === 'control-server' ? await createControlServer(session, { runDir: dir.path }) : undefined;
    const server = await createInspectorServer(session, control ? { control: { port: control.port, token: control.token } } : {});
    for (const declared of [true, false]) {
      t.deepEqual(await postHuge(server.port, { host: `127.0.0.1:${server.port}`, ...pageHeaders(server) }, declared), { status: 413, code: 'BODY_TOO_LARGE' }, declared ? 'with content-length' : 'chunked');
    }
    t.deepEqual(session.listDynamic(), []);
    await server.close();
    await control?.close();
    await session.stop();
    await dir.remove();
  });
}

test('an upgrade request is refused with 400, secret or not', async (t) => {
  const session = await startedSession();
  const server = await createInspectorServer(session);
  for (const path of ['/', '/events']) {
    const status = await rawGet(server.port, path, { host: `127.0.0.1:${server.port}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', cookie: pageHeaders(server).cookie! });
    t.is(status, 400, path);
  }
  await server.close();
  await session.stop();
});
