import test from 'ava';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { connectStately } from '../../inspector/stately-bridge.js';
import { startedSession, waitUntil } from './inspector-fixture.js';
import { websocketReceiver } from './websocket-receiver.js';

// A local WebSocket server stands in for Stately's relay and viewer, so this needs no network.
test('sends the session and symbol actors to a Stately inspector as plain data', async (t) => {
  const receiver = await websocketReceiver();
  const received = receiver.messages as StatelyInspectionEvent[];

  const session = await startedSession();
  const bridge = connectStately(session, { url: receiver.url });
  await session.advance(5);
  session.addSymbol('TSLA');
  await session.advance(0);
  await waitUntil(() => received.some((e) => e.type === '@xstate.snapshot' && (e.snapshot as { value?: unknown }).value === 'active'), 10_000);

  const actors = received.filter((e) => e.type === '@xstate.actor');
  t.true(actors.some((e) => e.name === 'session'), 'the session actor, created before the bridge, is announced');
  t.true(actors.some((e) => e.sessionId === session.actor.sessionId));
  t.true(actors.filter((e) => e.definition?.includes('"id":"symbol"')).length >= 3, 'AAPL and MSFT (announced on connect) and TSLA (spawned later)');
  const ticks = received.filter((e) => e.type === '@xstate.event' && e.event.type === 'TICK');
  t.true(ticks.length >= 2);

  const sessionSnapshot = received.findLast((e) => e.type === '@xstate.snapshot' && e.sessionId === session.actor.sessionId);
  const context = (sessionSnapshot as { snapshot: { context: Record<string, any> } }).snapshot.context;
  t.is(context.engine, '[BacktestDataEngine]', 'the data engine is named, not serialized');
  t.regex(context.symbols.TSLA.ref, /^\[actor symbol:TSLA#0\]$/);
  const largest = Math.max(...received.map((e) => JSON.stringify(e).length));
  t.true(largest < 20_000, `every message stays small (largest ${largest} bytes)`);

  bridge.stop();
  // What the bridge sent before it stopped may still be on its way: count from its close frame.
  await waitUntil(() => receiver.closeFrames() === 1, 10_000);
  const before = received.length;
  await session.advance(5);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.is(received.length, before, 'nothing is sent after stop');
  await receiver.close();
  await session.stop();
});
