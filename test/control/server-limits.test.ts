import test from 'ava';
import { connect, type Socket } from 'node:net';
import { createControlServer } from '../../control/control-server.js';
import type { ServerLimits } from '../../control/server-limits.js';
import { createInspectorServer } from '../../inspector/inspector-server.js';
import { manualSession, tempDir } from './session-fixture.js';

// Both loopback servers: a client that never finishes its headers, or too many clients at once,
// must not hold the server (3,000 slow connections once doubled a session's memory).

const SERVERS = {
  control: async (limits: Partial<ServerLimits>) => {
    const session = await manualSession();
    const dir = await tempDir('limits');
    const server = await createControlServer(session, { runDir: dir.path, limits });
    return { port: server.port, close: async () => (await server.close(), await session.stop(), await dir.remove()) };
  },
  inspector: async (limits: Partial<ServerLimits>) => {
    const session = await manualSession();
    const server = await createInspectorServer(session, { limits });
    return { port: server.port, close: async () => (await server.close(), await session.stop()) };
  },
};

interface Client {
  socket: Socket;
  received: string;
  ended: Promise<void>;
}

function open(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const client: Client = { socket, received: '', ended: new Promise((ended) => socket.once('close', () => ended())) };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (client.received += chunk));
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
  });
}

for (const [name, start] of Object.entries(SERVERS)) {
  test(`the ${name} server closes a connection whose headers never finish, with 408`, async (t) => {
    // Node's default would keep it for a minute and more; nothing here waits longer than the configured 150 ms by itself.
    t.timeout(20_000);
    const server = await start({ headersTimeoutMs: 150, requestTimeoutMs: 300 });
    const slow = await open(server.port);
    slow.socket.write(`GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `);
    await slow.ended;
    t.regex(slow.received, /^HTTP\/1\.1 408 /);
    await server.close();
  });

  test(`the ${name} server closes connections past its cap as they come`, async (t) => {
    t.timeout(20_000);
    const server = await start({ maxConnections: 2 });
    const kept = [await open(server.port), await open(server.port)];
    const extra = await open(server.port);
    await extra.ended;
    t.is(extra.received, '', 'refused without an answer');
    t.true(kept.every((client) => !client.socket.destroyed), 'the first two stay open');
    for (const client of kept) client.socket.destroy();
    await Promise.all(kept.map((client) => client.ended));
    await server.close();
  });
}

test('limits are checked when the server is made', async (t) => {
  await t.throwsAsync(SERVERS.control({ headersTimeoutMs: 0 }), { message: /headersTimeoutMs must be a whole number of at least 1/ });
  await t.throwsAsync(SERVERS.inspector({ headersTimeoutMs: 500, requestTimeoutMs: 100 }), { message: /cannot be longer than requestTimeoutMs/ });
});
