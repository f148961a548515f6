import { createServer, type RequestListener, type Server } from 'node:http';

/** What one client may hold of a loopback server: a stuck or hostile one must not hold it all. */
export interface ServerLimits {
  /** A request whose headers are not all in by then gets 408 and its connection closed. Default 10 000. */
  headersTimeoutMs: number;
  /** A request (headers and body) not all in by then gets 408 and its connection closed. Default 30 000. */
  requestTimeoutMs: number;
  /** Connections past this many are closed as they come. Default 64. */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 64 };

/**
 * An HTTP server that enforces `limits`. Node checks the timeouts every
 * `connectionsCheckingInterval` (30 s by default, so a slow client would outlive a short
 * timeout): here the check runs at least as often as the shorter timeout.
 */
export function limitedServer(listener: RequestListener, limits: Partial<ServerLimits> = {}): Server {
  const { headersTimeoutMs, requestTimeoutMs, maxConnections } = { ...DEFAULT_SERVER_LIMITS, ...limits };
  for (const [name, value] of Object.entries({ headersTimeoutMs, requestTimeoutMs, maxConnections })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`The server limit ${name} must be a whole number of at least 1, got ${JSON.stringify(value)}.`);
  }
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new Error(`headersTimeoutMs (${headersTimeoutMs}) cannot be longer than requestTimeoutMs (${requestTimeoutMs}): the headers are part of the request.`);
  }
  const server = createServer({ headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs) }, listener);
  server.maxConnections = maxConnections;
  return server;
}
