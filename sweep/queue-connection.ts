import { Redis, type RedisOptions } from 'ioredis';
import { SweepError } from './sweep-error.js';

/** `redis://[user:password@]host:port[/db]` as BullMQ's connection options. */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SweepError('INVALID_OPTION', `${JSON.stringify(url)} is not a Redis URL: use redis://host:6379.`, { queue: url });
  }
  if (parsed.protocol !== 'redis:' || parsed.hostname === '') {
    throw new SweepError('INVALID_OPTION', `${JSON.stringify(url)} is not a Redis URL: use redis://host:6379.`, { queue: url });
  }
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    // Commands wait through a reconnection instead of failing after a few retries: the
    // sweep's own watchdog decides when Redis has been gone too long.
    maxRetriesPerRequest: null,
  };
}

/**
 * A connection the caller owns: BullMQ leaves a connection it was given open, so the caller
 * can always drop it (`disconnect()`), even when Redis never answered and BullMQ's own close
 * would wait for it.
 */
export function redisClient(url: string): Redis {
  return new Redis(redisOptions(url));
}

/**
 * `promise`, or `error()` once `ms` have passed without it settling. A promise given up on may
 * still reject later (a command Redis never answered, failed when the connection is dropped):
 * that rejection is expected and handled here, not left unhandled.
 */
export async function within<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => {});
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
