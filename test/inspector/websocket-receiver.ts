import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The smallest WebSocket server that reads what a client sends (unfragmented text frames), for
 * testing a WebSocket sender without a WebSocket library — and one whose connections a test can close.
 */
export async function websocketReceiver(): Promise<{ url: string; messages: unknown[]; closeFrames(): number; close(): Promise<void> }> {
  const messages: unknown[] = [];
  // A sender's close frame comes after every message it sent before closing (one ordered stream).
  let closeFrames = 0;
  const sockets = new Set<Socket>();
  const server = createServer((_, response) => response.writeHead(426).end());
  server.on('upgrade', (request, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const accept = createHash('sha1').update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0]! & 0x0f;
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        // Clients always mask their frames.
        if (buffer.length < offset + 4 + length) return;
        const mask = buffer.subarray(offset, offset + 4);
        const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length)).map((byte, i) => byte ^ mask[i % 4]!);
        buffer = buffer.subarray(offset + 4 + length);
        if (opcode === 0x1) messages.push(JSON.parse(Buffer.from(payload).toString('utf8')));
        if (opcode === 0x8) {
          closeFrames++;
          socket.end();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    messages,
    closeFrames: () => closeFrames,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
