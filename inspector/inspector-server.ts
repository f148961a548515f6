import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { limitedServer, type ServerLimits } from '../control/server-limits.js';
import { symbolMachine } from '../machines/symbol-machine.js';
import { consoleLogger, type Logger } from '../model/logger.js';
import type { AnySession } from '../session/session.js';
import { controlServerHandler, inProcessHandler, type ControlHandler } from './control-forwarding.js';
import { machineDiagram } from './machine-diagram.js';
import { pageHtml } from './page/page-html.js';
import { PAGE_SCRIPT } from './page/page-script.js';
import { PAGE_STYLE } from './page/page-style.js';
import type { UpdateMessage } from './inspector-messages.js';
import { SessionFeed } from './session-feed.js';

export interface InspectorServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only: the page can add and remove symbols. */
  host?: '127.0.0.1';
  /**
   * The session's control server (`createControlServer`): the page's add/remove requests are
   * forwarded to it with its token. Without it, the same control routes are served in this process.
   */
  control?: { port: number; token: string };
  /** How often, at most, a page gets an update. Default 250 ms. */
  updateMs?: number;
  /** Timeouts and the connection cap (`DEFAULT_SERVER_LIMITS`). */
  limits?: Partial<ServerLimits>;
  logger?: Logger;
}

export interface InspectorServer {
  /**
   * `http://127.0.0.1:<port>/?secret=<secret>`: the page's address, to open in a browser. The
   * secret is the inspector's only credential; whoever has it can add and remove symbols.
   */
  readonly url: string;
  /** `http://127.0.0.1:<port>/`, without the secret: every request there needs its cookie. */
  readonly origin: string;
  readonly port: number;
  /** Sent as the cookie `secretCookie` (the page gets it from `url`). */
  readonly secret: string;
  readonly secretCookie: string;
  /** Disconnects the pages, stops inspecting the session and stops serving. */
  close(): Promise<void>;
}

/** A page's buffered bytes past which it is dropped rather than buffered further (it reconnects and starts afresh). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The statecharts carry their own <style>; no script but /inspector.js runs, nothing loads from elsewhere.
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/**
 * Serves the visual inspector of `session` on 127.0.0.1: the page, the session and symbol
 * statecharts as SVG, and a Server-Sent Events stream at `/events`. The session is inspected
 * only while at least one page is connected.
 */
export async function createInspectorServer(session: AnySession, options: InspectorServerOptions = {}): Promise<InspectorServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`The inspector binds 127.0.0.1 only, got host ${JSON.stringify(host)}.`);
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) {
    throw new Error(`The inspector's port must be a whole number from 0 (a free port) to 65535, got ${JSON.stringify(options.port)}.`);
  }
  const [sessionDiagram, symbolDiagram] = await Promise.all([machineDiagram(session.actor.logic), machineDiagram(symbolMachine)]);
  const logger = options.logger ?? consoleLogger;
  const page = pageHtml({ title: `tapedeck inspector · ${session.tradingSession.date}`, sessionSvg: sessionDiagram.svg, symbolSvg: symbolDiagram.svg });
  const feed = new SessionFeed(session, logger);
  const control: ControlHandler = options.control ? controlServerHandler(options.control) : inProcessHandler(session);
  const controlKind = options.control ? 'control-server' : 'in-process';
  const clients = new Set<ServerResponse>();
  let timer: NodeJS.Timeout | undefined;
  let port = 0;
  const secret = randomBytes(32).toString('base64url');

  const broadcast = () => {
    let message: UpdateMessage | undefined;
    try {
      message = feed.update();
    } catch (error) {
      // A timer callback that threw would end the process, and the session with it.
      logger.error('tapedeck inspector: an update for the page failed; the session goes on.', error);
      return;
    }
    if (!message) return;
    const frame = `event: update\ndata: ${JSON.stringify(message)}\n\n`;
    for (const client of clients) {
      if (client.writableLength > MAX_BUFFERED_BYTES) client.destroy();
      else client.write(frame);
    }
  };
  const connect = (request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    clients.add(response);
    request.on('close', () => {
      clients.delete(response);
      if (clients.size > 0) return;
      clearInterval(timer);
      feed.detach();
    });
    if (clients.size === 1) {
      feed.attach();
      timer = setInterval(broadcast, options.updateMs ?? 250);
      timer.unref();
    }
    response.write(`retry: 1000\nevent: init\ndata: ${JSON.stringify(feed.init(controlKind))}\n\n`);
  };

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
    '/': (_, response) => send(response, 'text/html; charset=utf-8', page),
    '/inspector.css': (_, response) => send(response, 'text/css; charset=utf-8', PAGE_STYLE),
    '/inspector.js': (_, response) => send(response, 'text/javascript; charset=utf-8', PAGE_SCRIPT),
    '/diagram/session.svg': (_, response) => send(response, 'image/svg+xml; charset=utf-8', sessionDiagram.svg),
    '/diagram/symbol.svg': (_, response) => send(response, 'image/svg+xml; charset=utf-8', symbolDiagram.svg),
    '/events': connect,
  };

  const server = limitedServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${host}`);
    const refusal = refuse(request, url, port, secret);
    // A refused request's body is never read: the connection must not be reused for the next request.
    if (refusal) return sendError(response, refusal.status, refusal.code, refusal.message, { connection: 'close' });
    if (request.method === 'GET' && url.pathname === '/' && url.searchParams.has('secret')) {
      // The secret moves from the address into a cookie, out of the address bar and the history.
      response.writeHead(303, { ...SECURITY_HEADERS, location: '/', 'set-cookie': `${cookieName(port)}=${secret}; Path=/; HttpOnly; SameSite=Strict`, 'content-length': 0 });
      return response.end();
    }
    if (url.pathname.startsWith('/control/')) {
      control(request, response, `${url.pathname.slice('/control'.length)}${url.search}`).catch((error: unknown) => {
        if (!response.headersSent) sendError(response, 500, 'INTERNAL', `The inspector could not pass the request on (${(error as Error).message}).`);
      });
      return;
    }
    const route = request.method === 'GET' ? routes[url.pathname] : undefined;
    if (!route) return sendError(response, 404, 'NOT_FOUND', `No ${request.method} ${url.pathname} here: open / for the inspector page.`);
    try {
      route(request, response);
    } catch (error) {
      logger.error(`tapedeck inspector: GET ${url.pathname} failed; the session goes on.`, error);
      if (!response.headersSent) sendError(response, 500, 'INTERNAL', `The inspector failed on this request (${(error as Error).message}).`);
      else response.destroy();
    }
  }, options.limits);
  port = await listen(server, host, requestedPort);

  return {
    url: `http://${host}:${port}/?secret=${secret}`,
    origin: `http://${host}:${port}/`,
    port,
    secret,
    secretCookie: cookieName(port),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Event streams never end on their own.
      for (const client of clients) client.end();
      server.closeAllConnections();
      await closed;
      clearInterval(timer);
      feed.detach();
    },
  };
}

/**
 * Only the browser that opened the printed URL may use the inspector: every request carries its
 * secret (the cookie set from that URL, or the URL itself on `/`), whatever its route. A request
 * naming another host is DNS rebinding; a control request from another origin, or without the
 * page's header (which no other site can send without a CORS preflight this server never grants),
 * is cross-site. An upgrade is refused: the inspector speaks plain HTTP and Server-Sent Events only.
 */
function refuse(request: IncomingMessage, url: URL, port: number, secret: string): { status: number; code: string; message: string } | undefined {
  const own = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!own.includes(request.headers.host ?? '')) {
    return { status: 421, code: 'WRONG_HOST', message: `The inspector answers only as http://127.0.0.1:${port}/.` };
  }
  if (request.headers.upgrade !== undefined) {
    return { status: 400, code: 'NO_UPGRADE', message: 'The inspector does not upgrade connections: its events come as Server-Sent Events at /events.' };
  }
  const given = url.pathname === '/' && url.searchParams.has('secret') ? url.searchParams.get('secret')! : cookie(request, cookieName(port));
  if (given === undefined || !same(given, secret)) {
    return { status: 401, code: 'UNAUTHORIZED', message: 'Open the inspector with the URL tapedeck printed: it carries the secret this page needs.' };
  }
  if (!url.pathname.startsWith('/control/')) return undefined;
  const origin = request.headers.origin;
  if ((origin !== undefined && !own.some((hostPort) => origin === `http://${hostPort}`)) || request.headers['x-tapedeck-inspector'] !== '1') {
    return { status: 403, code: 'FORBIDDEN', message: 'Control requests are accepted from the inspector page only.' };
  }
  return undefined;
}

/** Cookies are not kept apart by port: each inspector's is named after its own. */
function cookieName(port: number): string {
  return `tapedeck-inspector-${port}`;
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

function same(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(response: ServerResponse, type: string, body: string): void {
  response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function sendError(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = `${JSON.stringify({ error: { code, message } })}\n`;
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      reject(new Error(`Port ${port} on ${host} is in use: pick another port for the inspector, or 0 for a free one.`, { cause: error }));
    });
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('The inspector server has no TCP address.'));
      resolve(address.port);
    });
  });
}
