import type WebSocket from 'ws';
import type { FeedBar, FeedSink, LiveFeed } from '../../model/live-feed.js';
import { AlpacaCredentials } from './alpaca-credentials.js';
import { AlpacaHistory } from './alpaca-history.js';
import { barOf, decodeFrame, STREAM_ERRORS, type AlpacaMessage, type MsgpackDecode } from './alpaca-messages.js';
import { backoffDelay, connectionLimitDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';

export interface AlpacaFeedOptions {
  /** `iex` (free) or `sip` (paid). Default `iex`. */
  feed?: 'iex' | 'sip';
  /** Default: APCA_API_KEY_ID / APCA_API_SECRET_KEY. */
  keyId?: string;
  secretKey?: string;
  /** Default `wss://stream.data.alpaca.markets/v2/{feed}`. */
  streamUrl?: string;
  /** Default `https://data.alpaca.markets`. */
  restUrl?: string;
  backoff?: Partial<BackoffOptions>;
  /** Bars per history page. */
  pageLimit?: number;
  /** The wait after a 429 without `Retry-After`. */
  defaultRetryMs?: number;
  /**
   * How often the connection must show life (any frame, or a pong to our ping). A connection
   * silent for two periods is dropped and reconnected: a half-open TCP connection never closes
   * by itself, and would stall the stream without a word. Default 15 000.
   */
  heartbeatMs?: number;
}

/** What a connection needs: `ws`, and the decoder of binary frames. */
interface Wire {
  WebSocket: typeof WebSocket;
  decode: MsgpackDecode;
}

/** The wire's packages load with the first connection, not with tapedeck: most processes never open one. */
let wire: Promise<Wire> | undefined;
const loadWire = () => (wire ??= Promise.all([import('ws'), import('@msgpack/msgpack')]).then(([ws, msgpack]) => ({ WebSocket: ws.default, decode: msgpack.decode })));

/**
 * Alpaca Market Data v2 (stocks): minute bars and updated bars over the stream, history and gap
 * fill over REST. A thin adapter over `ws` and `fetch` rather than the official client: the
 * session needs to see every drop and refusal as a status (to fill gaps and to stop on a bad
 * key), to choose its own backoff for 406, and to keep credentials out of every log path.
 */
export class AlpacaFeed implements LiveFeed {
  readonly name = 'alpaca';
  readonly history: AlpacaHistory;
  private readonly url: string;
  private readonly credentials: AlpacaCredentials;
  private readonly backoff: BackoffOptions;
  private readonly symbols = new Set<string>();
  private socket: WebSocket | undefined;
  private sink: FeedSink | undefined;
  private authenticated = false;
  private everConnected = false;
  /**
   * Authenticated, the subscription sent, its confirmation not yet in. A bar that closes before
   * the service has the subscription is sent to no one, so the session is told `connected` (and
   * fills the gap up to that moment) only once the service confirms it.
   */
  private confirming = false;
  /** Symbols subscribed while connected whose confirmation has not come yet. */
  private readonly unconfirmed = new Set<string>();
  private attempts = 0;
  /** Counts connect() calls: a connection whose turn has passed (stopped, started again) is not opened. */
  private connects = 0;
  private refusals = 0;
  /** Set by a 406 or a fatal error, read when the socket closes. */
  private nextDelay: number | undefined;
  private fatal = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;

  constructor(options: AlpacaFeedOptions = {}) {
    const feed = options.feed ?? 'iex';
    this.credentials = AlpacaCredentials.resolve(options);
    this.url = options.streamUrl ?? `wss://stream.data.alpaca.markets/v2/${feed}`;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.history = new AlpacaHistory({
      credentials: this.credentials,
      feed,
      ...(options.restUrl ? { baseUrl: options.restUrl } : {}),
      ...(options.pageLimit ? { pageLimit: options.pageLimit } : {}),
      ...(options.defaultRetryMs !== undefined ? { defaultRetryMs: options.defaultRetryMs } : {}),
    });
  }

  start(sink: FeedSink): () => void {
    this.sink = sink;
    this.stopped = false;
    this.connect();
    return () => {
      this.stopped = true;
      clearTimeout(this.timer);
      this.socket?.close(1000);
      this.socket = undefined;
    };
  }

  subscribe(symbols: readonly string[]): void {
    const fresh = symbols.filter((s) => !this.symbols.has(s));
    for (const symbol of fresh) this.symbols.add(symbol);
    if (fresh.length === 0 || !this.authenticated) return;
    for (const symbol of fresh) this.unconfirmed.add(symbol);
    this.send({ action: 'subscribe', bars: fresh, updatedBars: fresh });
  }

  unsubscribe(symbols: readonly string[]): void {
    const gone = symbols.filter((s) => this.symbols.delete(s));
    if (gone.length > 0 && this.authenticated) this.send({ action: 'unsubscribe', bars: gone, updatedBars: gone });
  }

  private connect(): void {
    this.sink?.status({ state: 'connecting', attempt: this.attempts + 1 });
    const turn = ++this.connects;
    void loadWire().then((loaded) => {
      if (!this.stopped && turn === this.connects) this.open(loaded);
    });
  }

  private open({ WebSocket: WebSocketClass, decode }: Wire): void {
    const socket = new WebSocketClass(this.url, { perMessageDeflate: false });
    this.socket = socket;
    this.authenticated = false;
    this.confirming = false;
    // Whatever this connection subscribes, it confirms with `connected`.
    this.unconfirmed.clear();
    let alive = true;
    const heartbeat = setInterval(() => {
      if (!alive) {
        socket.terminate();
        return;
      }
      alive = false;
      if (socket.readyState === socket.OPEN) socket.ping();
    }, this.heartbeatMs);
    socket.on('pong', () => (alive = true));
    socket.on('message', (data, isBinary) => {
      alive = true;
      if (socket !== this.socket) return;
      let messages: AlpacaMessage[];
      try {
        messages = decodeFrame(data as Buffer, isBinary, decode);
      } catch {
        this.sink?.status({ state: 'warning', code: 'BAD_FRAME', message: 'The stream sent a frame that is not JSON; it was skipped.' });
        return;
      }
      this.handle(messages);
    });
    socket.on('error', () => undefined); // 'close' follows and says what happens next.
    socket.on('close', (code) => {
      clearInterval(heartbeat);
      if (socket !== this.socket) return;
      this.socket = undefined;
      this.authenticated = false;
      if (this.stopped || this.fatal) return;
      const delay = this.nextDelay ?? backoffDelay(this.attempts, this.backoff);
      this.nextDelay = undefined;
      this.attempts++;
      this.sink?.status({ state: 'disconnected', reason: `the stream closed (${code})`, retryInMs: delay });
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  private handle(messages: AlpacaMessage[]): void {
    let bars: FeedBar[] | undefined;
    for (const message of messages) {
      switch (message.T) {
        case 'b':
        case 'u':
          (bars ??= []).push(barOf(message));
          break;
        case 'success':
          if (message.msg === 'connected') this.send(this.credentials.authMessage());
          else if (message.msg === 'authenticated') this.onAuthenticated();
          break;
        case 'subscription':
          if (this.confirming) this.reportConnected();
          this.reportSubscribed(message);
          break;
        case 'error':
          this.onError(Number(message.code), String(message.msg ?? ''));
          break;
      }
    }
    if (bars) this.sink?.bars(bars);
  }

  private onAuthenticated(): void {
    this.authenticated = true;
    this.attempts = 0;
    this.refusals = 0;
    const symbols = [...this.symbols];
    if (symbols.length === 0) return this.reportConnected();
    this.confirming = true;
    this.send({ action: 'subscribe', bars: symbols, updatedBars: symbols });
  }

  /** The confirmation lists every symbol subscribed now: those among them not confirmed before are. */
  private reportSubscribed(message: AlpacaMessage): void {
    const listed = new Set(Array.isArray(message['bars']) ? (message['bars'] as unknown[]) : []);
    const confirmed = [...this.unconfirmed].filter((symbol) => listed.has(symbol));
    if (confirmed.length === 0) return;
    for (const symbol of confirmed) this.unconfirmed.delete(symbol);
    this.sink?.status({ state: 'subscribed', symbols: confirmed });
  }

  private reportConnected(): void {
    this.confirming = false;
    this.sink?.status({ state: 'connected', resumed: this.everConnected });
    this.everConnected = true;
  }

  private onError(code: number, msg: string): void {
    const known = STREAM_ERRORS[code];
    const message = `${code} ${known?.meaning ?? msg}`;
    if (known?.fatal) {
      this.fatal = true;
      this.sink?.status({ state: 'failed', code: `ALPACA_${code}`, message });
      this.socket?.close(1000);
      return;
    }
    if (code === 406) {
      this.refusals++;
      this.nextDelay = connectionLimitDelay(this.refusals, this.backoff);
    }
    this.sink?.status({ state: 'warning', code: `ALPACA_${code}`, message });
    // A subscription refused (symbol limit, feed not in the plan) gets no confirmation; the rest streams.
    if (this.confirming) this.reportConnected();
  }

  private send(message: object): void {
    if (this.socket && this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
