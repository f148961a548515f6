import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { ControlledSession } from './controlled-session.js';
import { ControlError } from './control-error.js';
import { handleApiRequest } from './control-routes.js';
import { errorResponse } from './error-response.js';
import { readJsonBody, sendJson } from './http-json.js';
import { localControl } from './local-control.js';
import { limitedServer, type ServerLimits } from './server-limits.js';
import { newToken, processExists, readRunFile, removeRunFile, runFilePath, writeRunFile, type RunFile } from './run-file.js';

export interface ControlServerOptions {
  /** Where the run file goes (`<runDir>/session.json`). */
  runDir: string;
  /** Loopback only: the API changes a running session and must never face a network. */
  host?: '127.0.0.1';
  /** Timeouts and the connection cap (`DEFAULT_SERVER_LIMITS`). */
  limits?: Partial<ServerLimits>;
  /** Failed symbols `GET /v1/status` lists, the last added; the rest are only counted. Default 100. */
  failedSymbolsListed?: number;
}

export interface ControlServer {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly token: string;
  readonly runFile: string;
  /** Stops serving (a request still waiting on the session gets a second to be answered) and deletes the run file. */
  close(): Promise<void>;
}

/** Serves the control API of `session` on a free loopback port and writes the run file that lets clients find it. */
export async function createControlServer(session: ControlledSession, options: ControlServerOptions): Promise<ControlServer> {
  const { runDir } = options;
  const host = options.host ?? '127.0.0.1';
  await assertRunDirFree(runDir);
  const token = newToken();
  const control = localControl(session, options.failedSymbolsListed === undefined ? {} : { failedListed: options.failedSymbolsListed });
  const server = limitedServer((request, response) => {
    const respond = async () => {
      if (!authorized(request, token)) {
        throw new ControlError('UNAUTHORIZED', `Send the header "Authorization: Bearer <token>" with the token from ${runFilePath(runDir)}.`, 401);
      }
      const url = new URL(request.url ?? '/', `http://${host}`);
      const result = await handleApiRequest(control, { method: request.method ?? 'GET', url, body: () => readJsonBody(request) });
      sendJson(response, result.status, result.body);
    };
    respond().catch((error: unknown) => {
      if (response.headersSent) return;
      const { status, body } = errorResponse(error);
      // An unread body (refused before reading, or too large) must not be parsed as the next request.
      const headers: Record<string, string> = status === 401 || status === 413 ? { connection: 'close' } : {};
      if (status === 401) headers['www-authenticate'] = 'Bearer';
      sendJson(response, status, body, headers);
    });
  }, options.limits);
  const port = await listen(server, host);
  const runFile: RunFile = {
    version: 1,
    host,
    port,
    pid: process.pid,
    token,
    startedAt: new Date().toISOString(),
    mode: session.mode,
    date: session.tradingSession.date,
  };
  try {
    await writeRunFile(runDir, runFile);
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    host,
    port,
    url: `http://${host}:${port}`,
    token,
    runFile: runFilePath(runDir),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 1000);
      await closed;
      clearTimeout(grace);
      await removeRunFile(runDir, token);
    },
  };
}

function authorized(request: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('The control server has no TCP address.'));
      resolve(address.port);
    });
  });
}

/**
 * Throws `RUN_DIR_BUSY` if a live session serves `runDir` (its run file and journal are that
 * session's). A stale run file does not count: the next server overwrites it.
 */
export async function assertRunDirFree(runDir: string): Promise<void> {
  const existing = await readRunFile(runDir).catch(() => undefined);
  // The pid alone is not proof: after a crash the number can be reused by an unrelated process.
  if (existing && processExists(existing.pid) && (await accepts(existing.host, existing.port))) {
    throw new ControlError(
      'RUN_DIR_BUSY',
      `Another tapedeck session (pid ${existing.pid}, ${existing.mode} ${existing.date}) is running with run dir ${runDir}: stop it, or give this one its own --run-dir.`,
    );
  }
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
