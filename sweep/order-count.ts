import type { Strategy, StrategyBroker, StrategyContext } from '../run/strategy.js';
import { defineStrategy } from '../run/strategy.js';

/**
 * The strategy with a counter of the orders it places. Order ids are `o1`, `o2`, … in the
 * order placed, cancelled or not; a date chunk that starts mid-run numbers its orders on from
 * the orders of the chunks before it, and only this count says how many those were.
 */
export function countingOrders(strategy: Strategy): { strategy: Strategy; orders(): number } {
  let orders = 0;
  const counted = <T>(order: T): T => {
    if (order !== undefined) orders++;
    return order;
  };
  const views = new WeakMap<object, StrategyContext>();
  const view = (ctx: StrategyContext): StrategyContext => {
    let seen = views.get(ctx);
    if (!seen) {
      const broker = countingBroker(ctx.broker, counted);
      seen = new Proxy(ctx, { get: (target, key) => (key === 'broker' ? broker : Reflect.get(target, key)) });
      views.set(ctx, seen);
    }
    return seen;
  };
  const hooks: Partial<Strategy> = {};
  if (strategy.init) hooks.init = (ctx) => strategy.init!(view(ctx as StrategyContext) as never);
  if (strategy.onDayStart) hooks.onDayStart = (ctx, day) => strategy.onDayStart!(view(ctx), day);
  if (strategy.onBar) hooks.onBar = (ctx, bar) => strategy.onBar!(view(ctx), bar);
  if (strategy.onDayEnd) hooks.onDayEnd = (ctx, day) => strategy.onDayEnd!(view(ctx), day);
  if (strategy.result) hooks.result = (ctx) => strategy.result!(view(ctx));
  return { strategy: defineStrategy({ ...strategy, ...hooks }), orders: () => orders };
}

function countingBroker(broker: StrategyBroker, counted: <T>(order: T) => T): StrategyBroker {
  return {
    buy: (symbol, qty, options) => counted(broker.buy(symbol, qty, options)),
    sell: (symbol, qty, options) => counted(broker.sell(symbol, qty, options)),
    close: (symbol, options) => counted(broker.close(symbol, options)),
    order: (request) => counted(broker.order(request)),
    cancel: (orderId) => broker.cancel(orderId),
    position: (symbol) => broker.position(symbol),
    positions: () => broker.positions(),
    openOrders: (symbol) => broker.openOrders(symbol),
    get cash() {
      return broker.cash;
    },
    get equity() {
      return broker.equity;
    },
  };
}
