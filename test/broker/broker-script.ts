import { fc } from '@fast-check/ava';
import type { Fill } from '../../broker/fill.js';
import type { OrderRequest } from '../../broker/order.js';
import { SimulatedBroker, type BrokerBar, type BrokerOptions } from '../../broker/simulated-broker.js';
import { DAY, M } from './bars.js';

export const SYMBOLS = ['AAA', 'BBB', 'CCC'] as const;

/** What the strategy does after a bar, as a script: order ids are picked by index among those placed so far. */
export type Action =
  | { kind: 'order'; request: OrderRequest }
  | { kind: 'cancel'; pick: number }
  | { kind: 'close'; symbol: string }
  | { kind: 'flatten'; symbol: string };

export interface Step {
  /** Minutes the clock moves before this bar (a symbol's bars are always at distinct minutes). */
  gap: number;
  symbol: string;
  /** Cents: open vs the previous close, close vs open, and the wicks. */
  jump: number;
  move: number;
  up: number;
  down: number;
  actions: Action[];
}

export interface Script {
  options: BrokerOptions;
  days: Step[][];
}

const symbolArb = fc.constantFrom(...SYMBOLS);

/** Prices near 100 in cents, so offsets reach them: limits and stops sometimes fill, sometimes not. */
const requestArb: fc.Arbitrary<OrderRequest> = fc
  .record({
    symbol: symbolArb,
    side: fc.constantFrom('buy' as const, 'sell' as const),
    qty: fc.integer({ min: 1, max: 60 }),
    type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const, 'stopLimit' as const),
    limitCents: fc.integer({ min: 9_000, max: 11_000 }),
    stopCents: fc.integer({ min: 9_000, max: 11_000 }),
    tif: fc.constantFrom('day' as const, 'gtc' as const),
  })
  .map(({ limitCents, stopCents, ...request }) => ({
    ...request,
    ...(request.type === 'limit' || request.type === 'stopLimit' ? { limitPrice: limitCents / 100 } : {}),
    ...(request.type === 'stop' || request.type === 'stopLimit' ? { stopPrice: stopCents / 100 } : {}),
  }));

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: requestArb.map((request) => ({ kind: 'order' as const, request })) },
  { weight: 2, arbitrary: fc.nat(50).map((pick) => ({ kind: 'cancel' as const, pick })) },
  { weight: 1, arbitrary: symbolArb.map((symbol) => ({ kind: 'close' as const, symbol })) },
  { weight: 1, arbitrary: symbolArb.map((symbol) => ({ kind: 'flatten' as const, symbol })) },
);

const stepArb: fc.Arbitrary<Step> = fc.record({
  gap: fc.nat(2),
  symbol: symbolArb,
  jump: fc.integer({ min: -80, max: 80 }),
  move: fc.integer({ min: -80, max: 80 }),
  up: fc.nat(60),
  down: fc.nat(60),
  actions: fc.array(actionArb, { maxLength: 2 }),
});

export const scriptArb: fc.Arbitrary<Script> = fc.record({
  options: fc.record({
    cash: fc.integer({ min: 1_000, max: 100_000 }),
    commission: fc.record({ perShare: fc.constantFrom(0, 0.005, 0.0035), minimum: fc.constantFrom(0, 1), percent: fc.constantFrom(0, 0.05) }),
    slippage: fc.record({ bps: fc.constantFrom(0, 1, 2.5, 10) }),
  }),
  days: fc.array(fc.array(stepArb, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 3 }),
});

/** Everything a run produced, and what the test saw on the way. */
export interface ScriptRun {
  broker: SimulatedBroker;
  /** Open time of the bar after which each order was sent, by order id. */
  sentAfterBar: Map<string, number>;
  lastClose: Map<string, number>;
  equityPoints: ReturnType<SimulatedBroker['equityPoint']>[];
  dailyEquity: { date: string; equity: number }[];
  fills: readonly Fill[];
}

/**
 * Plays a script the way the engine will: each bar to the broker first, then the strategy's
 * actions, `endOfDay()` at each close. `afterBar` runs after each bar's actions; `atClose`, after
 * each day's `endOfDay()`, may hand back another broker to go on with (a restored one).
 */
export function playScript(script: Script, afterBar: (run: ScriptRun) => void = () => {}, atClose?: (broker: SimulatedBroker, day: number) => SimulatedBroker): ScriptRun {
  let broker = new SimulatedBroker(script.options);
  const run: ScriptRun = { broker, sentAfterBar: new Map(), lastClose: new Map(), equityPoints: [], dailyEquity: [], fills: broker.fills };
  const cents = new Map<string, number>(SYMBOLS.map((s) => [s, 10_000]));
  const lastMinute = new Map<string, number>();
  const ids: string[] = [];
  script.days.forEach((steps, day) => {
    let minute = 0;
    for (const step of steps) {
      minute = Math.max(minute + step.gap, (lastMinute.get(step.symbol) ?? -1) + 1);
      lastMinute.set(step.symbol, minute);
      const o = Math.max(100, cents.get(step.symbol)! + step.jump);
      const c = Math.max(100, o + step.move);
      const bar: BrokerBar = { symbol: step.symbol, t: day * DAY + minute * M, o: o / 100, h: (Math.max(o, c) + step.up) / 100, l: Math.max(50, Math.min(o, c) - step.down) / 100, c: c / 100, v: 100 };
      cents.set(step.symbol, c);
      broker.onBar(bar);
      run.lastClose.set(step.symbol, bar.c);
      for (const action of step.actions) {
        if (action.kind === 'order') {
          const order = broker.order(action.request);
          ids.push(order.id);
          run.sentAfterBar.set(order.id, bar.t);
        } else if (action.kind === 'cancel') {
          if (ids.length > 0) broker.cancel(ids[action.pick % ids.length]!);
        } else if (action.kind === 'close') {
          const order = broker.close(action.symbol);
          if (order) run.sentAfterBar.set(order.id, bar.t);
        } else {
          broker.flatten(action.symbol);
        }
      }
      run.equityPoints.push(broker.equityPoint());
      afterBar(run);
    }
    broker.endOfDay();
    run.dailyEquity.push({ date: `day-${day}`, equity: broker.equity });
    if (atClose) {
      broker = atClose(broker, day);
      run.broker = broker;
      run.fills = broker.fills;
    }
  });
  return run;
}
