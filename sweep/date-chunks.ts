import { fromUnits, toUnits } from '../broker/money.js';
import type { Fill } from '../broker/fill.js';
import { computeMetrics } from '../metrics/compute-metrics.js';
import { buildRoundTrips } from '../metrics/round-trips.js';
import { SweepError } from './sweep-error.js';
import type { SweepRun } from './sweep-job.js';

/** A run's trading days cut into `count` consecutive chunks of near-equal length (never an empty one). */
export function splitDays(days: readonly string[], count: number): Array<{ from: string; to: string }> {
  const chunks = Math.max(1, Math.min(count, days.length));
  return Array.from({ length: chunks }, (_, i) => {
    const start = Math.floor((i * days.length) / chunks);
    const end = Math.floor(((i + 1) * days.length) / chunks);
    return { from: days[start]!, to: days[end - 1]! };
  });
}

/**
 * The run that the chunks' serial run would have been, for a strategy with `carry: 'none'`.
 * Each chunk started from the run's cash; the serial run entered it with the earlier chunks'
 * P&L on top, so its cash and equity are shifted by that (in money units: exact), and its
 * order ids count on from the orders placed before it. Metrics and round trips are computed
 * again over the whole. A chunk that ends with a position open, or a changed universe, broke
 * the promise: merging it would give a wrong result, so it is refused.
 */
export function mergeChunks(chunks: readonly SweepRun[], cash: number): SweepRun {
  const first = chunks[0]!;
  const cashUnits = toUnits(cash);
  let offset = 0;
  let orderOffset = 0;
  const merged: Pick<SweepRun, 'fills' | 'equity' | 'days'> = { fills: [], equity: { minutes: [], days: [] }, days: [] };
  for (const [index, chunk] of chunks.entries()) {
    if (index < chunks.length - 1) assertStandsAlone(chunk);
    const shift = (amount: number) => fromUnits(toUnits(amount) + offset);
    merged.fills.push(...chunk.fills.map((fill) => renumber(fill, orderOffset)));
    merged.equity.minutes.push(...chunk.equity.minutes.map((p) => ({ ...p, equity: shift(p.equity), cash: shift(p.cash) })));
    merged.equity.days.push(...chunk.equity.days.map((d) => ({ ...d, equity: shift(d.equity) })));
    merged.days.push(...chunk.days.map((d) => ({ ...d, startEquity: shift(d.startEquity), endEquity: shift(d.endEquity) })));
    offset += toUnits(chunk.equity.days.at(-1)?.equity ?? cash) - cashUnits;
    orderOffset += chunk.orders;
  }
  const trades = buildRoundTrips(merged.fills);
  return {
    config: { ...first.config, to: chunks.at(-1)!.config.to },
    params: first.params,
    metrics: computeMetrics({ initialEquity: cash, minuteEquity: merged.equity.minutes, dailyEquity: merged.equity.days, fills: merged.fills, trades }),
    ...merged,
    trades,
    orders: orderOffset,
  };
}

function renumber(fill: Fill, offset: number): Fill {
  const seq = /^o(\d+)$/.exec(fill.orderId);
  return seq ? { ...fill, orderId: `o${Number(seq[1]) + offset}` } : fill;
}

function assertStandsAlone(chunk: SweepRun): void {
  const { strategy, symbols } = chunk.config;
  const last = chunk.days.at(-1)!;
  const held = new Map<string, number>();
  for (const fill of chunk.fills) held.set(fill.symbol, (held.get(fill.symbol) ?? 0) + (fill.side === 'buy' ? fill.qty : -fill.qty));
  const open = [...held].filter(([, qty]) => qty !== 0).map(([symbol]) => symbol);
  const changed = chunk.days.some((d) => d.added.length > 0 || d.removed.length > 0) || last.symbols.join() !== symbols.join();
  if (open.length > 0 || changed) {
    throw new SweepError(
      'CARRY_VIOLATED',
      `Strategy ${strategy} declares carry: 'none' but ${open.length > 0 ? `held ${open.join(', ')} at the close of ${last.date}` : `changed its symbols by ${last.date}`}: remove carry: 'none', or close every position by each day's close.`,
      { strategy, date: last.date },
    );
  }
}
