import { ControlError } from './control-error.js';
import type { AddSymbolRequest } from './control-protocol.js';
import type { SessionControl } from './session-control.js';

export interface ApiRequest {
  method: string;
  url: URL;
  /** Reads and parses the JSON body; only routes that take one call it. */
  body(): Promise<unknown>;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

const ROUTES = ['GET /v1/status', 'GET /v1/symbols/dynamic', 'POST /v1/symbols', 'DELETE /v1/symbols/{SYMBOL}?immediate=true&wait=true&flatten=true'];

const SYMBOL_PATH = /^\/v1\/symbols\/([^/]+)$/;
const ADD_FIELDS = new Set(['symbol', 'streams', 'wait']);
const ADD_EXAMPLE = '{"symbol":"TSLA","streams":["1m","5m"],"wait":true}';

/** Maps one authorized request to a control operation. Throws `ControlError` or `SessionError` to refuse it. */
export async function handleApiRequest(control: SessionControl, request: ApiRequest): Promise<ApiResponse> {
  const { method, url } = request;
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (method === 'GET' && path === '/v1/status') return { status: 200, body: await control.status() };
  if (method === 'GET' && path === '/v1/symbols/dynamic') return { status: 200, body: await control.listDynamic() };
  if (method === 'POST' && path === '/v1/symbols') {
    const report = await control.addSymbol(addRequest(await request.body()));
    return { status: report.waited ? 200 : 202, body: report };
  }
  const symbolPath = method === 'DELETE' ? SYMBOL_PATH.exec(path) : null;
  if (symbolPath) {
    const query = flags(url, ['immediate', 'wait', 'flatten']);
    const report = await control.removeSymbol({ symbol: decodeSymbol(symbolPath[1]!), ...query });
    return { status: report.waited ? 200 : 202, body: report };
  }
  throw new ControlError('UNKNOWN_ROUTE', `No route ${method} ${url.pathname}. Routes: ${ROUTES.join(', ')}.`, 400);
}

function addRequest(body: unknown): AddSymbolRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ControlError('BAD_REQUEST', `The body must be a JSON object such as ${ADD_EXAMPLE}.`, 400);
  }
  const unknown = Object.keys(body).filter((key) => !ADD_FIELDS.has(key));
  if (unknown.length > 0) {
    throw new ControlError('BAD_REQUEST', `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: the fields are symbol, streams and wait, e.g. ${ADD_EXAMPLE}.`, 400);
  }
  const { symbol, streams, wait } = body as Record<string, unknown>;
  if (wait !== undefined && typeof wait !== 'boolean') throw new ControlError('BAD_REQUEST', `"wait" must be true or false, got ${JSON.stringify(wait)}.`, 400);
  // symbol and streams are checked by the session itself, which answers INVALID_SYMBOL / INVALID_INTERVAL.
  return { symbol: symbol as string, ...(streams === undefined ? {} : { streams: streams as AddSymbolRequest['streams'] }), ...(wait === undefined ? {} : { wait }) };
}

function decodeSymbol(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ControlError('BAD_REQUEST', `The symbol in the path is not valid URL encoding: ${segment}.`, 400);
  }
}

/** Boolean query parameters: `?immediate`, `?immediate=true|false|1|0`; any other parameter is a mistake worth reporting. */
function flags<K extends string>(url: URL, names: readonly K[]): Partial<Record<K, boolean>> {
  const result: Partial<Record<K, boolean>> = {};
  for (const [key, value] of url.searchParams) {
    if (!(names as readonly string[]).includes(key)) {
      throw new ControlError('BAD_REQUEST', `Unknown query parameter ${JSON.stringify(key)}: use ${names.join(', ')}.`, 400);
    }
    if (!['', 'true', '1', 'false', '0'].includes(value)) {
      throw new ControlError('BAD_REQUEST', `Query parameter ${key} must be true or false, got ${JSON.stringify(value)}.`, 400);
    }
    result[key as K] = value === '' || value === 'true' || value === '1';
  }
  return result;
}
