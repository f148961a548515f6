import type { Interval } from '../model/bar.js';
import type { SymbolStatus } from '../model/symbol-status.js';
import { type SymbolReport, symbolStatus, type SymbolActorRef, type SymbolOrigin, type SymbolStatusChange } from './symbol-machine.js';

/** A symbol as a session machine holds it, in either mode. */
export interface SymbolEntry {
  ref: SymbolActorRef;
  streams: Interval[];
  origin: SymbolOrigin;
  /** Session clock and wall clock when it was added, epoch ms. */
  addedAt: { sim: number; wall: number };
}

export type SymbolRoster = Record<string, SymbolEntry>;

/** What a session emits when one of its symbols reports a status. */
export type SymbolStatusEmitted = { type: 'symbol' } & SymbolStatusChange;

/** The actor id of a symbol (re)added to a session: each add is a new generation. */
export function symbolActorId(roster: SymbolRoster, symbol: string, origin: SymbolOrigin): string {
  if (origin === 'configured') return `symbol:${symbol}`;
  const previous = roster[symbol];
  const generation = previous ? Number(previous.ref.id.split('#')[1] ?? 0) + 1 : 0;
  return `symbol:${symbol}#${generation}`;
}

/** The actor id of a symbol configured again on a new day of the session: a new generation when the roster had it. */
export function nextSymbolActorId(roster: SymbolRoster, symbol: string): string {
  return roster[symbol] ? symbolActorId(roster, symbol, 'dynamic') : symbolActorId(roster, symbol, 'configured');
}

/**
 * How a removal treats the symbol: a graceful one drains a symbol that streams (a second
 * graceful removal joins the drain in progress); an immediate one, or one of a symbol that
 * does not stream yet, cancels it.
 */
export function removalOf(entry: SymbolEntry, immediate: boolean, streams: ReadonlyArray<SymbolStatus>): 'join' | 'drain' | 'cancel' {
  const status = symbolStatus(entry.ref);
  if (immediate) return 'cancel';
  if (status === 'draining') return 'join';
  return streams.includes(status) ? 'drain' : 'cancel';
}

export function symbolStatusEmitted(event: SymbolReport): SymbolStatusEmitted {
  if (event.type !== 'SYMBOL_STATUS') throw new Error('a symbol status is emitted on SYMBOL_STATUS');
  return { type: 'symbol', symbol: event.symbol, origin: event.origin, status: event.status, ...(event.error ? { error: event.error } : {}) };
}
