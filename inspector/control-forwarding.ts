import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { handleApiRequest } from '../control/control-routes.js';
import { errorResponse } from '../control/error-response.js';
import { readBody, readJsonBody, sendJson } from '../control/http-json.js';
import { localControl } from '../control/local-control.js';
import type { AnySession } from '../session/session.js';

/** Where the page's add/remove requests go: `path` is a control API path such as `/v1/symbols`, with its query. */
export type ControlHandler = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;

/**
 * Forwards to the session's control server with its bearer token. The page cannot call that
 * server itself: it is another origin (another port), and the API answers no CORS preflight.
 * Forwarding also keeps the token out of the browser. The body is read here first, under the
 * control API's size limit, so an oversized one is refused here (413) rather than cut off mid-way.
 */
export function controlServerHandler(control: { port: number; token: string }): ControlHandler {
  return async (request, response, path) => {
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      const { status, body: answer } = errorResponse(error);
      // The rest of an unread body must not be parsed as the next request.
      return sendJson(response, status, answer, { connection: 'close' });
    }
    await new Promise<void>((resolve) => {
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: control.port,
          method: request.method,
          path,
          agent: false,
          headers: {
            authorization: `Bearer ${control.token}`,
            ...(request.headers['content-type'] ? { 'content-type': request.headers['content-type'] } : {}),
            'content-length': String(body.length),
          },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json; charset=utf-8', 'cache-control': 'no-store' });
          answer.pipe(response);
          answer.on('end', resolve);
          answer.on('error', () => resolve());
        },
      );
      upstream.on('error', (error) => {
        if (!response.headersSent) {
          sendJson(response, 502, {
            error: { code: 'CONTROL_UNREACHABLE', message: `The session's control server on port ${control.port} did not answer (${error.message}).` },
          });
        }
        resolve();
      });
      upstream.end(body);
    });
  };
}

/** Serves the control API's routes in this process when no control server runs: same validation, same errors. */
export function inProcessHandler(session: AnySession): ControlHandler {
  const control = localControl(session);
  return async (request, response, path) => {
    try {
      const url = new URL(path, 'http://127.0.0.1');
      const result = await handleApiRequest(control, { method: request.method ?? 'GET', url, body: () => readJsonBody(request) });
      sendJson(response, result.status, result.body);
    } catch (error) {
      const { status, body } = errorResponse(error);
      // The rest of an unread body must not be parsed as the next request.
      sendJson(response, status, body, status === 413 ? { connection: 'close' } : {});
    }
  };
}
