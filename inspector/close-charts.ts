import type { Interval } from '../model/bar.js';
import type { SessionData } from '../data-plane/session-data.js';
import type { ChartUpdate, SymbolCard } from './inspector-messages.js';

interface Cursor {
  interval: Interval;
  /** Bars already sent. */
  sent: number;
  /** Which addition of the symbol the bars belong to: a symbol removed and added again starts a new chart. */
  generation: string;
}

/** Closes per update, all symbols together: a page that connects to a day of hundreds of symbols gets their charts over a few updates, not in one large message. */
const CLOSES_PER_READ = 5000;

/**
 * Reads each symbol's closes from `SessionData` for the page's price charts, only the bars that
 * are new since the last read. Called on the inspector's update timer, never per bar.
 */
export class CloseCharts {
  private readonly cursors = new Map<string, Cursor>();
  /** Where the next read starts, so that symbols past the budget are served first next time. */
  private next = 0;

  constructor(private readonly data: SessionData) {}

  /** The closes written since the last call, per symbol, up to the budget. */
  read(symbols: readonly SymbolCard[], budget = CLOSES_PER_READ): ChartUpdate[] {
    // While the session is deactivated SessionData reads as empty: nothing new can be told apart from a reset.
    if (!this.data.isActive) return [];
    const updates: ChartUpdate[] = [];
    const start = this.next;
    for (let k = 0; k < symbols.length; k++) {
      const index = (start + k) % symbols.length;
      const card = symbols[index]!;
      if (budget === 0) {
        this.next = index;
        break;
      }
      const interval = chartInterval(card);
      const generation = `${card.addedAt.wall}:${card.addedAt.sim}`;
      let cursor = this.cursors.get(card.symbol);
      if (!cursor || cursor.generation !== generation || cursor.interval !== interval) {
        cursor = { interval, sent: 0, generation };
        this.cursors.set(card.symbol, cursor);
      }
      // The raw columns: copying out closes costs no object per bar, which matters when a day of
      // hundreds of symbols is read in one update.
      const columns = this.data.columns(card.symbol, interval);
      // A removed symbol's bars are gone from SessionData; the page keeps the chart it has.
      if (!columns || columns.length <= cursor.sent) continue;
      const end = Math.min(columns.length, cursor.sent + budget);
      updates.push({ symbol: card.symbol, interval, from: cursor.sent, closes: Array.from(columns.c.subarray(cursor.sent, end)) });
      budget -= end - cursor.sent;
      cursor.sent = end;
    }
    return updates;
  }

  /** The next read starts every chart over, for a page that just connected (pages replace a chart on `from: 0`). */
  rewind(): void {
    this.cursors.clear();
  }
}

/** 1m when the symbol streams it, else its first stream. */
function chartInterval(card: SymbolCard): Interval {
  return card.streams.includes('1m') ? '1m' : (card.streams[0] ?? '1m');
}
