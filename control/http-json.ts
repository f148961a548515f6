import type { IncomingMessage, ServerResponse } from 'node:http';
import { ControlError } from './control-error.js';

/** Control requests are a few dozen bytes; anything near this limit is a mistake or an attack. */
const BODY_LIMIT_BYTES = 16 * 1024;

/** Reads a request body, refusing bodies over the limit (413 `BODY_TOO_LARGE`) without buffering them. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const limit = BODY_LIMIT_BYTES;
  const tooLarge = () => new ControlError('BODY_TOO_LARGE', `The request body is larger than ${limit} bytes; control requests are small JSON objects.`, 413);
  if (Number(request.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads a request body as JSON (see `readBody`). */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const text = (await readBody(request)).toString('utf8');
  if (text.trim() === '') throw new ControlError('BAD_JSON', 'The request needs a JSON body, e.g. {"symbol":"TSLA","streams":["1m","5m"]}.', 400);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ControlError('BAD_JSON', `The request body is not valid JSON (${(error as Error).message}); send e.g. {"symbol":"TSLA"}.`, 400);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}
