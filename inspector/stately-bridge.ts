import { createWebSocketInspector } from '@statelyai/inspect';
import type { AnyActor, AnyEventObject, InspectionEvent, Snapshot } from 'xstate';
import type { AnySession } from '../session/session.js';
import type { SymbolRoster } from '../machines/symbol-roster.js';

export interface StatelyBridgeOptions {
  /**
   * The WebSocket of a Stately inspector server, e.g. the one `@statelyai/inspect/server`'s
   * `createInspectorServer()` starts (it opens a browser tab that frames https://stately.ai/inspect).
   * Default `ws://localhost:8080`.
   */
  url?: string;
}

export interface StatelyBridge {
  /** Stops inspecting the session and closes the WebSocket. */
  stop(): void;
}

/**
 * Sends the session actor and its symbol actors to Stately's inspector (`@statelyai/inspect`,
 * which speaks xstate v5; `@xstate/inspect` does not) over its WebSocket protocol.
 *
 * Limits, by design of `@statelyai/inspect` 0.7:
 * - Stately's viewer is a hosted page (stately.ai): it needs the internet. The offline view is
 *   `createInspectorServer` (this folder's inspector page).
 * - `@statelyai/inspect/server` listens on every network interface and relays what it receives
 *   to every client: run it on a trusted machine only.
 * - Every event is serialized and sent on its own timer. At `speed: 'max'` that slows the replay
 *   by a large factor; use a numeric speed (e.g. 60) while inspecting.
 * - Contexts and events are sent as plain data only: the data engine, the bar store and bar
 *   arrays become `[ClassName]`, actor references `[actor <id>]` — they would otherwise be
 *   serialized whole on every event.
 * - Until the socket is open, the last 200 events are kept and the older ones dropped.
 * - It shows xstate's view (states, events, contexts), not prices, counters or pauses.
 */
export function connectStately(session: AnySession, options: StatelyBridgeOptions = {}): StatelyBridge {
  const inspector = createWebSocketInspector({
    url: options.url ?? 'ws://localhost:8080',
    sanitizeContext: (context) => plain(context) as Record<string, unknown>,
    sanitizeEvent: (event) => plain(event) as AnyEventObject,
  });
  // Actors created before the bridge connected were announced to nobody: announce them now.
  const announce = (actor: AnyActor) => {
    try {
      inspector.actor(actor, plainSnapshot(actor.getSnapshot()));
    } catch {
      // Stately will not know this actor's definition; its events still arrive.
    }
  };
  announce(session.actor);
  for (const entry of Object.values(session.actor.getSnapshot().context.symbols as SymbolRoster)) announce(entry.ref as AnyActor);

  const subscription = session.actor.system.inspect((event: InspectionEvent) => {
    // Runs inside the session's event processing: a failure here must not reach the session.
    try {
      // The converter serializes a snapshot event's snapshot before any sanitizer runs: hand it a plain one.
      if (event.type === '@xstate.snapshot') inspector.inspect.next?.({ ...event, snapshot: plainSnapshot(event.snapshot) });
      else if (event.type === '@xstate.event') inspector.inspect.next?.(event);
      // Announced once the actor is constructed (it has no snapshot yet when xstate reports it),
      // and with a plain snapshot: the converter would serialize the actor's children and state nodes.
      else if (event.type === '@xstate.actor') queueMicrotask(() => announce(event.actorRef as AnyActor));
      // Microsteps and actions are not shown by Stately; forwarding them would only cost a timer each.
    } catch {
      // The event is not shown in Stately; nothing else depends on it.
    }
  });
  return {
    stop() {
      subscription.unsubscribe();
      inspector.stop();
    },
  };
}

function plainSnapshot(snapshot: Snapshot<unknown>): Snapshot<unknown> {
  const { status, value, context, output, error } = snapshot as Snapshot<unknown> & { value?: unknown; context?: unknown };
  return { status, value: plain(value), context: plain(context), output: plain(output), error: plain(error) } as Snapshot<unknown>;
}

const MAX_DEPTH = 5;
const MAX_ITEMS = 50;

/** A JSON-friendly copy: plain objects and arrays (bounded), primitives; anything else by its name. */
function plain(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? `[function ${value.name || 'anonymous'}]` : value;
  if (typeof (value as { send?: unknown }).send === 'function' && typeof (value as { id?: unknown }).id === 'string') return `[actor ${(value as { id: string }).id}]`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => plain(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return `[${(value as object).constructor?.name ?? 'object'}]`;
  return Object.fromEntries(Object.entries(value).slice(0, MAX_ITEMS).map(([key, item]) => [key, plain(item, depth + 1)]));
}
