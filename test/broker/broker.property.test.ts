import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { fromUnits, toUnits } from '../../broker/money.js';
import { computeMetrics } from '../../metrics/compute-metrics.js';
import { buildRoundTrips } from '../../metrics/round-trips.js';
import type { Fill } from '../../broker/fill.js';
import { SimulatedBroker } from '../../broker/simulated-broker.js';
import { playScript, scriptArb, SYMBOLS, type ScriptRun } from './broker-script.js';

const CENT = 1e-9;

/** Σ over open positions of qty × the last close the test itself saw. */
function markedPositions(run: ScriptRun): number {
  return SYMBOLS.reduce((sum, symbol) => sum + run.broker.position(symbol).qty * (run.lastClose.get(symbol) ?? 0), 0);
}

testProp(
  'accounting identity: after every bar, cash + Σ qty × last close = equity, and cash = start − bought + sold − commissions',
  [scriptArb],
  (t, script) => {
    playScript(script, (run) => {
      const { broker } = run;
      if (Math.abs(broker.cash + markedPositions(run) - broker.equity) > CENT) t.fail(`equity ${broker.equity} ≠ cash ${broker.cash} + positions ${markedPositions(run)}`);
      const flows = run.fills.reduce((sum, f) => sum + toUnits(f.qty * f.price) * (f.side === 'buy' ? -1 : 1) - toUnits(f.commission), 0);
      if (toUnits(broker.cash) !== toUnits(script.options.cash) + flows) t.fail(`cash ${broker.cash} ≠ fills' cash flows ${fromUnits(flows)}`);
    });
    t.pass();
  },
  { numRuns: 150 },
);

testProp(
  'Σ round-trip PnL + unrealized − commissions = equity change after every bar; once flat, Σ PnL − commissions = equity change',
  [scriptArb],
  (t, script) => {
    const check = (run: ScriptRun) => {
      const trips = buildRoundTrips(run.fills);
      const pnl = trips.reduce((sum, trip) => sum + toUnits(trip.pnl), 0);
      const unrealized = SYMBOLS.reduce((sum, s) => sum + toUnits(run.broker.position(s).unrealizedPnl), 0);
      const commissions = run.fills.reduce((sum, f) => sum + toUnits(f.commission), 0);
      const change = toUnits(run.broker.equity) - toUnits(script.options.cash);
      if (pnl + unrealized - commissions !== change) t.fail(`pnl ${pnl} + unrealized ${unrealized} − commissions ${commissions} ≠ equity change ${change} (units)`);
      const tripCommissions = trips.reduce((sum, trip) => sum + toUnits(trip.commission), 0);
      if (tripCommissions > commissions) t.fail(`round trips carry ${tripCommissions} units of commission, fills only ${commissions}`);
    };
    const run = playScript(script, check);
    for (const symbol of SYMBOLS) run.broker.flatten(symbol);
    check(run);
    const trips = buildRoundTrips(run.fills);
    const commissions = run.fills.reduce((sum, f) => sum + toUnits(f.commission), 0);
    t.is(trips.reduce((sum, trip) => sum + toUnits(trip.pnl), 0) - commissions, toUnits(run.broker.equity) - toUnits(script.options.cash));
    t.is(trips.reduce((sum, trip) => sum + toUnits(trip.commission), 0), commissions, 'flat: every commission belongs to a round trip');
  },
  { numRuns: 150 },
);

testProp(
  'no fill before its order: every fill is on a bar that opened after the bar its order was sent on, at or after the order was placed',
  [scriptArb],
  (t, script) => {
    const run = playScript(script);
    for (const fill of run.fills) {
      if (fill.reason === 'flatten') continue; // closes at the bar already seen, by definition
      const order = run.broker.getOrder(fill.orderId)!;
      const sentAfter = run.sentAfterBar.get(fill.orderId)!;
      if (!(fill.t > sentAfter && fill.t >= order.placedAt)) t.fail(`fill ${JSON.stringify(fill)} of an order sent after the bar at ${sentAfter}, placed at ${order.placedAt}`);
    }
    t.pass();
  },
  { numRuns: 150 },
);

testProp(
  'determinism: the same script twice gives identical fills, equity, round trips and metrics as JSON',
  [scriptArb],
  (t, script) => {
    const result = () => {
      const run = playScript(script);
      const trades = buildRoundTrips(run.fills);
      const metrics = computeMetrics({ initialEquity: script.options.cash, minuteEquity: run.equityPoints, dailyEquity: run.dailyEquity, fills: run.fills, trades });
      return JSON.stringify({ fills: run.fills, equity: run.equityPoints, daily: run.dailyEquity, trades, metrics, orders: run.broker.openOrders() });
    };
    t.is(result(), result());
  },
  { numRuns: 60 },
);

// A property that holds by accident cannot fail: the scripts must make fills of every kind.
test('scripts exercise the broker: fills of every order type, longs and shorts happen across runs', (t) => {
  const seen = new Set<string>();
  for (const script of fc.sample(scriptArb, { numRuns: 200, seed: 7 })) {
    const run = playScript(script);
    for (const fill of run.fills) seen.add(fill.reason ?? run.broker.getOrder(fill.orderId)!.type);
    for (const trip of buildRoundTrips(run.fills)) seen.add(trip.direction);
  }
  t.deepEqual([...seen].sort(), ['flatten', 'limit', 'long', 'market', 'short', 'stop', 'stopLimit']);
});

testProp(
  'a broker restored at a close from its snapshot (read back from JSON) and the earlier fills goes on as the one that took it',
  [scriptArb, fc.nat()],
  (t, script, pick) => {
    const straight = playScript(script);
    const restoredAt = pick % script.days.length;
    const resumed = playScript(script, () => {}, (broker, day) => {
      if (day !== restoredAt) return broker;
      const snapshot = JSON.parse(JSON.stringify(broker.snapshot())) as ReturnType<SimulatedBroker['snapshot']>;
      return SimulatedBroker.restore(script.options, snapshot, JSON.parse(JSON.stringify(broker.fills)) as Fill[]);
    });
    t.deepEqual(resumed.fills, straight.fills);
    t.deepEqual(resumed.equityPoints, straight.equityPoints);
    t.deepEqual(resumed.dailyEquity, straight.dailyEquity);
    t.deepEqual(resumed.broker.snapshot(), straight.broker.snapshot());
    t.is(resumed.broker.ordersPlaced, straight.broker.ordersPlaced);
    t.deepEqual(resumed.broker.openOrders(), straight.broker.openOrders());
  },
  { numRuns: 150 },
);
