import type { FeedBar } from '../../model/live-feed.js';

/** One element of a stream frame. Frames are arrays; data messages come batched. */
export interface AlpacaMessage {
  T: string;
  msg?: string;
  code?: number;
  S?: string;
  o?: number;
  h?: number;
  l?: number;
  c?: number;
  v?: number;
  t?: unknown;
  [key: string]: unknown;
}

/** What the service means by each error code, and what the feed does about it. */
export const STREAM_ERRORS: Readonly<Record<number, { meaning: string; fatal: boolean }>> = {
  400: { meaning: 'invalid syntax', fatal: false },
  401: { meaning: 'not authenticated', fatal: false },
  402: { meaning: 'auth failed: check APCA_API_KEY_ID and APCA_API_SECRET_KEY', fatal: true },
  404: { meaning: 'auth timeout', fatal: true },
  405: { meaning: 'symbol limit exceeded', fatal: false },
  406: { meaning: 'connection limit exceeded: another connection uses this key', fatal: false },
  409: { meaning: 'insufficient subscription for this feed (try --alpaca-feed iex)', fatal: false },
};

/** A msgpack decoder (`@msgpack/msgpack`'s `decode`), handed in: it loads with the first connection. */
export type MsgpackDecode = (bytes: Uint8Array) => unknown;

/** Decodes a frame, JSON text or msgpack binary, into its messages; anything else is an empty frame. */
export function decodeFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean, decodeMsgpack: MsgpackDecode): AlpacaMessage[] {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  const value: unknown = isBinary ? decodeMsgpack(buffer) : JSON.parse(buffer.toString('utf8'));
  return Array.isArray(value) ? value.filter((m): m is AlpacaMessage => typeof m === 'object' && m !== null && typeof (m as AlpacaMessage).T === 'string') : [];
}

/** Epoch ms of a bar's `t`: an RFC-3339 string (JSON) or a msgpack timestamp (decoded to a Date). */
export function timeOf(t: unknown): number {
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'string') return Date.parse(t);
  return Number.NaN;
}

/** A minute bar (`T: "b"`) or an updated one (`T: "u"`) as a feed bar; validation happens in the data plane. */
export function barOf(message: AlpacaMessage): FeedBar {
  const num = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN);
  return {
    symbol: String(message.S),
    t: timeOf(message.t),
    o: num(message.o),
    h: num(message.h),
    l: num(message.l),
    c: num(message.c),
    v: num(message.v),
    ...(message.T === 'u' ? { updated: true } : {}),
  };
}
