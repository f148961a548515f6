import type { Bar } from '../../model/bar.js';
import type { HistorySource } from '../../model/live-feed.js';
import type { AlpacaCredentials } from './alpaca-credentials.js';

export interface AlpacaHistoryOptions {
  credentials: AlpacaCredentials;
  /** Default `https://data.alpaca.markets`. */
  baseUrl?: string;
  feed?: 'iex' | 'sip';
  /** Bars per page, at most 10 000. */
  pageLimit?: number;
  /** How many 429s in a row are waited out before giving up. Default 5. */
  maxRateLimitRetries?: number;
  /** The wait when a 429 has no usable `Retry-After`. Default 1 000 ms. */
  defaultRetryMs?: number;
}

interface BarsPage {
  bars?: Record<string, Array<{ t: string; o: number; h: number; l: number; c: number; v: number }> | null>;
  next_page_token?: string | null;
}

/**
 * Historical 1m bars from Alpaca's `GET /v2/stocks/bars`, following `next_page_token` and
 * waiting out 429s for as long as `Retry-After` says. Errors name the status and the symbol,
 * never the request headers.
 */
export class AlpacaHistory implements HistorySource {
  /** Requests sent and 429s waited out, for reports and tests. */
  readonly stats = { requests: 0, rateLimited: 0 };

  constructor(private readonly options: AlpacaHistoryOptions) {}

  async getBars(symbol: string, startMs: number, endMs: number): Promise<Bar[]> {
    const bars: Bar[] = [];
    let pageToken: string | undefined;
    do {
      const url = new URL('/v2/stocks/bars', this.options.baseUrl ?? 'https://data.alpaca.markets');
      url.searchParams.set('symbols', symbol);
      url.searchParams.set('timeframe', '1Min');
      url.searchParams.set('start', new Date(startMs).toISOString());
      // `end` is inclusive there and exclusive here.
      url.searchParams.set('end', new Date(endMs - 1).toISOString());
      url.searchParams.set('limit', String(this.options.pageLimit ?? 10_000));
      url.searchParams.set('feed', this.options.feed ?? 'iex');
      url.searchParams.set('adjustment', 'raw');
      url.searchParams.set('sort', 'asc');
      if (pageToken) url.searchParams.set('page_token', pageToken);
      const page = await this.fetchPage(url, symbol);
      for (const bar of page.bars?.[symbol] ?? []) {
        const t = Date.parse(bar.t);
        if (t >= startMs && t < endMs) bars.push({ t, o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: bar.v });
      }
      pageToken = page.next_page_token ?? undefined;
    } while (pageToken);
    return bars;
  }

  private async fetchPage(url: URL, symbol: string): Promise<BarsPage> {
    for (let retries = 0; ; retries++) {
      this.stats.requests++;
      const response = await fetch(url, { headers: { ...this.options.credentials.headers(), accept: 'application/json' } });
      if (response.status === 429 && retries < (this.options.maxRateLimitRetries ?? 5)) {
        this.stats.rateLimited++;
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs(response.headers.get('retry-after'), this.options.defaultRetryMs ?? 1000)));
        continue;
      }
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        throw new Error(`Alpaca answered ${response.status} to the bars request for ${symbol}${text ? `: ${text.slice(0, 200)}` : ''}`);
      }
      return (await response.json()) as BarsPage;
    }
  }
}

/** `Retry-After` is seconds (or an HTTP date); a missing or unreadable one falls back. */
function retryAfterMs(header: string | null, fallback: number): number {
  if (header === null) return fallback;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : fallback;
}
