import { encode, decode } from '@msgpack/msgpack';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MINUTE_MS, type Bar } from '../../model/bar.js';
import type { LiveClock } from '../../data-plane/live-clock.js';

export interface FakeAlpacaOptions {
  clock: LiveClock;
  /** The truth: every symbol's 1m bars. Updated bars change it, so REST answers with the updates. */
  record: Map<string, Bar[]>;
  keyId: string;
  secret: string;
  /** Bars per REST page, whatever `limit` asks. */
  pageSize?: number;
  /** How often (real ms) the stream checks for bars that closed; 0: only when `publishClosedMinutes` is called. */
  pollMs?: number;
  /** Every n-th minute, the bar of the minute before is sent again updated (`T: "u"`). 0: never. */
  updateEvery?: number;
  /** The end of the feed's day: no minute closing later is published, so the record stays as it was then. */
  endMs?: number;
}

interface Client {
  socket: WebSocket;
  /** A half-open connection: it stays open but sends nothing and answers no ping. */
  stalled?: boolean;
  msgpack: boolean;
  authenticated: boolean;
  bars: Set<string>;
  updatedBars: Set<string>;
}

/**
 * A local stand-in for Alpaca Market Data v2 on 127.0.0.1: the stocks stream (JSON, or msgpack
 * when the client asks with `Content-Type: application/msgpack`, as the official client does)
 * and `GET /v2/stocks/bars` with pages. Scripts: drop every connection, refuse the next
 * connections with an error code, answer the next REST requests with 429.
 */
export class FakeAlpacaServer {
  readonly log = { connections: 0, refused: 0, authFailures: 0, restRequests: 0, rateLimited: 0, updatesSent: 0, barsSent: 0, msgpackClients: 0 };
  private readonly http: Server;
  // Pongs are answered by hand, so a connection can be made to play dead (`stallConnections`).
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly clients = new Set<Client>();
  private refuseNext: Array<{ code: number; msg: string }> = [];
  private rateLimitNext = 0;
  /** Real milliseconds the next REST answers are held back, one entry per answer. */
  private slowNext: number[] = [];
  /** Simulated time until which the network is down: connections fail outright. */
  private downUntil = Number.NEGATIVE_INFINITY;
  /** Subscribe requests and REST requests not yet acted on (`holdSubscriptions`, `holdHistory`). */
  private readonly subscriptions = new Holder();
  private readonly history = new Holder();
  private lastMinuteSent: number;
  /** Each minute's bars as first sent, before any update changed them. */
  private readonly firstSent = new Map<number, Array<{ symbol: string; bar: Bar }>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FakeAlpacaOptions) {
    this.lastMinuteSent = Math.floor(options.clock.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
    this.http = createServer((request, response) => this.rest(request, response));
    this.http.on('upgrade', (request, socket, head) => {
      if (!/^\/v2\/(iex|sip)$/.test(request.url ?? '')) return socket.destroy();
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
    });
  }

  async listen(): Promise<{ streamUrl: string; restUrl: string }> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    const { port } = this.http.address() as AddressInfo;
    const pollMs = this.options.pollMs ?? 2;
    if (pollMs > 0) this.timer = setInterval(() => this.publishClosedMinutes(), pollMs);
    return { streamUrl: `ws://127.0.0.1:${port}/v2/iex`, restUrl: `http://127.0.0.1:${port}` };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const client of this.clients) client.socket.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /**
   * Cuts every connection, as a network drop would; for `outageMinutes` simulated minutes after,
   * connecting fails too, so those minutes' bars are lost to the stream, whatever the timing.
   */
  dropConnections(outageMinutes = 0): void {
    this.downUntil = this.options.clock.now() + outageMinutes * MINUTE_MS;
    for (const client of this.clients) client.socket.terminate();
    this.clients.clear();
  }

  /** Every open connection goes silent without closing, as behind a dead router. */
  stallConnections(): void {
    for (const client of this.clients) client.stalled = true;
  }

  /** The next `count` connections get `[{"T":"error","code":…}]` and are closed. */
  refuseConnections(count: number, code = 406, msg = 'connection limit exceeded'): void {
    for (let i = 0; i < count; i++) this.refuseNext.push({ code, msg });
  }

  /** The next `count` REST answers come `ms` real milliseconds late, as from a slow service. */
  slowRequests(count: number, ms: number): void {
    for (let i = 0; i < count; i++) this.slowNext.push(ms);
  }

  /**
   * Subscribe requests wait, unanswered, until `releaseSubscriptions`: the moment between a
   * client asking for bars and the service sending them, made as long as a test needs.
   */
  holdSubscriptions(): void {
    this.subscriptions.hold();
  }

  /** Subscribe requests being held. */
  get subscriptionsHeld(): number {
    return this.subscriptions.waiting;
  }

  releaseSubscriptions(): void {
    this.subscriptions.release();
  }

  /** REST requests wait, unanswered, until `releaseHistory`: a gap fill kept in flight. */
  holdHistory(): void {
    this.history.hold();
  }

  /** REST requests being held. */
  get historyHeld(): number {
    return this.history.waiting;
  }

  releaseHistory(): void {
    this.history.release();
  }

  rateLimitRequests(count: number): void {
    this.rateLimitNext += count;
  }

  get connectedClients(): number {
    return [...this.clients].filter((c) => c.authenticated).length;
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    if (this.options.clock.now() < this.downUntil) {
      socket.terminate();
      return;
    }
    this.log.connections++;
    const client: Client = { socket, msgpack: request.headers['content-type'] === 'application/msgpack', authenticated: false, bars: new Set(), updatedBars: new Set() };
    if (client.msgpack) this.log.msgpackClients++;
    const refusal = this.refuseNext.shift();
    if (refusal) {
      this.log.refused++;
      this.send(client, [{ T: 'error', ...refusal }]);
      socket.close();
      return;
    }
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('ping', (data) => {
      if (!client.stalled) socket.pong(data);
    });
    socket.on('message', (data, isBinary) => this.onMessage(client, data as Buffer, isBinary));
    this.send(client, [{ T: 'success', msg: 'connected' }]);
  }

  private onMessage(client: Client, data: Buffer, isBinary: boolean): void {
    let message: Record<string, unknown>;
    try {
      message = (isBinary ? decode(data) : JSON.parse(data.toString('utf8'))) as Record<string, unknown>;
    } catch {
      return this.send(client, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    }
    if (message['action'] === 'auth') {
      if (message['key'] === this.options.keyId && message['secret'] === this.options.secret) {
        client.authenticated = true;
        return this.send(client, [{ T: 'success', msg: 'authenticated' }]);
      }
      this.log.authFailures++;
      this.send(client, [{ T: 'error', code: 402, msg: 'auth failed' }]);
      client.socket.close();
      return;
    }
    if (!client.authenticated) return this.send(client, [{ T: 'error', code: 401, msg: 'not authenticated' }]);
    const list = (key: string) => (Array.isArray(message[key]) ? (message[key] as string[]) : []);
    if (message['action'] === 'subscribe' && this.subscriptions.holds(() => this.onMessage(client, data, isBinary))) return;
    if (message['action'] === 'subscribe') {
      for (const s of list('bars')) client.bars.add(s);
      for (const s of list('updatedBars')) client.updatedBars.add(s);
    } else if (message['action'] === 'unsubscribe') {
      for (const s of list('bars')) client.bars.delete(s);
      for (const s of list('updatedBars')) client.updatedBars.delete(s);
    } else {
      return this.send(client, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    }
    this.send(client, [{ T: 'subscription', trades: [], quotes: [], bars: [...client.bars], updatedBars: [...client.updatedBars], dailyBars: [], statuses: [] }]);
  }

  /** Each closed minute goes out as one batched frame per client: every subscribed symbol's bar. */
  publishClosedMinutes(): void {
    const now = this.options.clock.now();
    const until = Math.min(now, this.options.endMs ?? Number.POSITIVE_INFINITY);
    for (let t = this.lastMinuteSent + MINUTE_MS; t + MINUTE_MS <= until; t += MINUTE_MS) {
      this.lastMinuteSent = t;
      const minute = (t / MINUTE_MS) | 0;
      const update = this.options.updateEvery ? minute % this.options.updateEvery === 0 : false;
      this.firstSent.set(t, [...this.options.record].flatMap(([symbol, bars]) => bars.filter((b) => b.t === t).map((bar) => ({ symbol, bar: { ...bar } }))));
      for (const client of this.clients) {
        if (!client.authenticated) continue;
        const frame: object[] = [];
        for (const [symbol, bars] of this.options.record) {
          const bar = bars.find((b) => b.t === t);
          if (bar && client.bars.has(symbol)) frame.push(this.wire(client, 'b', symbol, bar));
        }
        if (frame.length > 0) {
          this.log.barsSent += frame.length;
          this.send(client, frame);
        }
      }
      if (update) this.sendUpdates(t - MINUTE_MS);
    }
  }

  /** The bars of minute `t` go out again as first sent (before any update): a duplicate delivery. */
  resendMinute(t: number): void {
    for (const client of this.clients) {
      if (!client.authenticated) continue;
      const frame = (this.firstSent.get(t) ?? []).filter(({ symbol }) => client.bars.has(symbol)).map(({ symbol, bar }) => this.wire(client, 'b', symbol, bar));
      if (frame.length > 0) {
        this.log.barsSent += frame.length;
        this.send(client, frame);
      }
    }
  }

  /** A late trade changes the bar of `t`: the record changes and subscribers get `T: "u"`. */
  sendUpdates(t: number): void {
    for (const [symbol, bars] of this.options.record) {
      const bar = bars.find((b) => b.t === t);
      if (!bar) continue;
      bar.c = Math.round((bar.c + 0.01) * 100) / 100;
      bar.h = Math.max(bar.h, bar.c);
      bar.v += 7;
      for (const client of this.clients) {
        if (!client.authenticated || !client.updatedBars.has(symbol)) continue;
        this.log.updatesSent++;
        this.send(client, [this.wire(client, 'u', symbol, bar)]);
      }
    }
  }

  private wire(client: Client, type: 'b' | 'u', symbol: string, bar: Bar): object {
    // msgpack carries `t` as a timestamp extension (a Date encodes to one), JSON as RFC-3339.
    const t = client.msgpack ? new Date(bar.t) : new Date(bar.t).toISOString();
    return { T: type, S: symbol, o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: bar.v, t, n: 10, vw: bar.c };
  }

  private send(client: Client, messages: object[]): void {
    if (client.stalled || client.socket.readyState !== client.socket.OPEN) return;
    client.socket.send(client.msgpack ? encode(messages) : JSON.stringify(messages));
  }

  private rest(request: IncomingMessage, response: ServerResponse): void {
    if (this.history.holds(() => this.rest(request, response))) return;
    const delay = this.slowNext.shift();
    if (delay !== undefined) {
      setTimeout(() => this.answerRest(request, response), delay);
      return;
    }
    this.answerRest(request, response);
  }

  private answerRest(request: IncomingMessage, response: ServerResponse): void {
    this.log.restRequests++;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.headers['apca-api-key-id'] !== this.options.keyId || request.headers['apca-api-secret-key'] !== this.options.secret) {
      return json(401, { message: 'unauthorized.' });
    }
    if (url.pathname !== '/v2/stocks/bars') return json(404, { message: 'not found' });
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      this.log.rateLimited++;
      return json(429, { message: 'too many requests.' }, { 'retry-after': '0', 'x-ratelimit-remaining': '0' });
    }
    const start = Date.parse(url.searchParams.get('start') ?? '');
    const end = Date.parse(url.searchParams.get('end') ?? '');
    if (url.searchParams.get('timeframe') !== '1Min' || !Number.isFinite(start) || !Number.isFinite(end)) return json(422, { message: 'invalid query' });
    const symbols = (url.searchParams.get('symbols') ?? '').split(',');
    const offset = Number(url.searchParams.get('page_token') ?? 0);
    const pageSize = Math.min(this.options.pageSize ?? 10_000, Number(url.searchParams.get('limit') ?? 10_000));
    // Only bars whose minute has closed exist yet.
    const now = this.options.clock.now();
    const rows = symbols.flatMap((symbol) => (this.options.record.get(symbol) ?? []).filter((b) => b.t >= start && b.t <= end && b.t + MINUTE_MS <= now).map((bar) => ({ symbol, bar })));
    const page = rows.slice(offset, offset + pageSize);
    const bars: Record<string, object[]> = {};
    for (const { symbol, bar } of page) (bars[symbol] ??= []).push({ t: new Date(bar.t).toISOString(), o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: bar.v, n: 10, vw: bar.c });
    const next = offset + pageSize < rows.length ? String(offset + pageSize) : null;
    json(200, { bars, next_page_token: next }, { 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': '199' });
  }
}

/** Requests kept waiting while `hold` is on, acted on in order at `release`. */
class Holder {
  private holding = false;
  private readonly held: Array<() => void> = [];

  hold(): void {
    this.holding = true;
  }

  /** Keeps `act` for later if holding; false when it should run now. */
  holds(act: () => void): boolean {
    if (!this.holding) return false;
    this.held.push(act);
    return true;
  }

  get waiting(): number {
    return this.held.length;
  }

  release(): void {
    this.holding = false;
    for (const act of this.held.splice(0)) act();
  }
}
