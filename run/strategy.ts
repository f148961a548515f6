import type { Bar, Interval, StreamBar } from '../model/bar.js';
import type { SessionData } from '../data-plane/session-data.js';
import type { DynamicSymbolInfo } from '../session/session.js';
import type { SymbolInfo } from '../model/session-summary.js';
import type { Order, OrderOptions, OrderRequest } from '../broker/order.js';
import type { Position } from '../broker/simulated-broker.js';
import { resolveStreams, resolveSymbols } from '../session/session-options.js';
import { RunError } from './run-error.js';

/** A parameter value: what `--param k=v` can say. */
export type ParamValue = number | string | boolean;
export type StrategyParams = Record<string, ParamValue>;

/** One trading day of a run. */
export interface RunDay {
  /** `YYYY-MM-DD`, exchange-local. */
  date: string;
  /** Regular-hours open and close, epoch ms. */
  open: number;
  close: number;
  /** 0 for the run's first day. */
  index: number;
}

/** What a strategy may do to today's session: read its data, add and remove symbols. */
export interface RunSession {
  readonly data: SessionData;
  /**
   * Adds a symbol now; it catches up to the current minute as if present from the open, and
   * stays in the universe for the following days until removed. `1m` is always streamed (the
   * broker needs it); the strategy receives only its own `streams`, unless `streams` is given.
   */
  addSymbol(symbol: string, options?: { streams?: Interval[] }): Promise<DynamicSymbolInfo>;
  /**
   * Removes a symbol from today's session and from the universe of the following days; its open
   * orders are cancelled. Throws `POSITION_OPEN` (a `BrokerError`) while it has a position, unless
   * `flatten: true`, which closes it at the last delivered bar's close (`reason: 'flatten'`).
   */
  removeSymbol(symbol: string, options?: { flatten?: boolean; immediate?: boolean }): Promise<void>;
  listDynamic(): DynamicSymbolInfo[];
  listSymbols(): SymbolInfo[];
}

/** The simulated broker as a strategy sees it. */
export interface StrategyBroker {
  buy(symbol: string, qty: number, options?: OrderOptions): Order;
  sell(symbol: string, qty: number, options?: OrderOptions): Order;
  /** A market order for the whole position; `undefined` when flat. */
  close(symbol: string, options?: Pick<OrderOptions, 'tif'>): Order | undefined;
  cancel(orderId: string): boolean;
  order(request: OrderRequest): Order;
  position(symbol: string): Position;
  positions(): Position[];
  openOrders(symbol?: string): Order[];
  readonly cash: number;
  readonly equity: number;
}

export interface StrategyContext<P extends StrategyParams = StrategyParams, S = unknown> {
  /** The strategy's defaults, overridden by the run's `params`. */
  readonly params: Readonly<P>;
  /** What `init` returned; the strategy may change it freely. It carries across days. */
  state: S;
  /** Today. */
  readonly day: RunDay;
  /** The simulated time, epoch ms: the close of the last bar delivered. */
  now(): number;
  readonly session: RunSession;
  /**
   * The last `n` bars of `symbol` before today, oldest first: from the last `warmup.days`
   * trading days (at least one) — the warm-up days at first, then the run's latest days.
   */
  history(symbol: string, interval: Interval, n: number): Bar[];
  readonly broker: StrategyBroker;
}

export interface StrategySpec<P extends StrategyParams, S> {
  name: string;
  params?: P;
  /** The default universe; a run's `symbols` overrides it. */
  symbols?: string[];
  /** Intervals `onBar` receives; default `['1m']`. */
  streams?: Interval[];
  /** Trading days before the first day loaded for `history` only (not traded, no `onBar`); also how far back `history` reaches. */
  warmup?: { days: number };
  /**
   * What a day hands to the next: `'all'` (the default) or `'none'`. `'none'` promises that
   * every day stands alone — flat with no open order at each close, no symbol added or removed,
   * nothing in `state` read on a later day, no decision taken from cash, equity or buying power —
   * so a sweep may split the run into date chunks run in parallel (README, "Sweeps").
   */
  carry?: 'all' | 'none';
  init?(ctx: StrategyContext<P, undefined>): S;
  onDayStart?(ctx: StrategyContext<P, S>, day: RunDay): void;
  onBar?(ctx: StrategyContext<P, S>, bar: StreamBar): void;
  onDayEnd?(ctx: StrategyContext<P, S>, day: RunDay): void;
  /** Anything extra to put in the result, under `extra`. Must be JSON. */
  result?(ctx: StrategyContext<P, S>): unknown;
  /**
   * `ctx.state` as JSON, at each completed day's close of a journaled run (after `onDayEnd`).
   * With `loadState`, it lets a resumed run start at its first unfinished day instead of running
   * the completed days again. What it returns must give back, through `loadState`, a state that
   * behaves exactly as `ctx.state` would on the following days (e.g. an indicator's inputs, not
   * its object).
   */
  saveState?(ctx: StrategyContext<P, S>): unknown;
  /**
   * The state a resumed run goes on with, from what `saveState` returned (read back from JSON),
   * instead of `init`. `ctx.history` already holds the days before the next one.
   */
  loadState?(ctx: StrategyContext<P, undefined>, saved: unknown): S;
}

/** A checked strategy: what `defineStrategy` returns and `runBacktest` takes. */
export interface Strategy<P extends StrategyParams = StrategyParams, S = unknown> extends StrategySpec<P, S> {
  readonly params: P;
  readonly symbols: string[];
  readonly streams: Interval[];
  readonly warmup: { days: number };
  readonly carry: 'all' | 'none';
}

/** Checks a strategy's definition at once (name, symbols, streams, warm-up, hooks) and fills in defaults. */
export function defineStrategy<P extends StrategyParams = StrategyParams, S = undefined>(spec: StrategySpec<P, S>): Strategy<P, S> {
  if (typeof spec?.name !== 'string' || spec.name.trim() === '') {
    throw new RunError('INVALID_STRATEGY', 'A strategy needs a name, e.g. defineStrategy({ name: "sma-cross", … }).');
  }
  const where = `strategy ${spec.name}`;
  for (const hook of ['init', 'onDayStart', 'onBar', 'onDayEnd', 'result', 'saveState', 'loadState'] as const) {
    if (spec[hook] !== undefined && typeof spec[hook] !== 'function') {
      throw new RunError('INVALID_STRATEGY', `${where}: ${hook} must be a function.`, { hook });
    }
  }
  if ((spec.saveState === undefined) !== (spec.loadState === undefined)) {
    throw new RunError('INVALID_STRATEGY', `${where}: saveState and loadState go together (one writes what the other reads); give both or neither.`, { hook: spec.saveState ? 'loadState' : 'saveState' });
  }
  const params = { ...(spec.params ?? {}) } as P;
  for (const [key, value] of Object.entries(params)) {
    if (!['number', 'string', 'boolean'].includes(typeof value)) {
      throw new RunError('INVALID_STRATEGY', `${where}: param ${key} must default to a number, string or boolean.`, { param: key });
    }
  }
  const days = spec.warmup?.days ?? 0;
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RunError('INVALID_STRATEGY', `${where}: warmup.days must be a whole number ≥ 0, got ${String(days)}.`, { warmup: spec.warmup });
  }
  const carry = spec.carry ?? 'all';
  if (carry !== 'all' && carry !== 'none') {
    throw new RunError('INVALID_STRATEGY', `${where}: carry must be 'all' or 'none', got ${JSON.stringify(spec.carry)}.`, { carry: spec.carry });
  }
  const symbols = resolveSymbols(spec.symbols ?? []).map((s) => s.symbol);
  const streams = resolveStreams(where, spec.streams);
  return Object.freeze({ ...spec, params, symbols, streams, warmup: { days }, carry });
}

/** A strategy as loaded from a file (another copy of this module may have made it): checked again. */
export function asStrategy(value: unknown, source: string): Strategy {
  if (value === null || typeof value !== 'object' || typeof (value as { name?: unknown }).name !== 'string') {
    throw new RunError('INVALID_STRATEGY', `${source} does not export a strategy: its default export must be defineStrategy({ name, onBar, … }).`, { source });
  }
  return defineStrategy(value as StrategySpec<StrategyParams, unknown>);
}
