import type { Logger } from '../model/logger.js';

/**
 * The typed observers of a session (`session.on(...)`). An observer that throws is logged and
 * the others still hear the event: nothing an observer does may stop a session.
 */
export class SessionObservers<EventMap> {
  private readonly handlers = new Map<keyof EventMap, Set<(payload: never) => void>>();

  constructor(private readonly logger: Logger) {}

  on<K extends keyof EventMap>(type: K, handler: (payload: EventMap[K]) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as (payload: never) => void);
    return () => set.delete(handler as (payload: never) => void);
  }

  notify<K extends keyof EventMap>(type: K, payload: EventMap[K]): void {
    const set = this.handlers.get(type);
    if (!set) return;
    for (const handler of set) {
      try {
        (handler as (p: EventMap[K]) => void)(payload);
      } catch (error) {
        this.logger.error(`tapedeck: a '${String(type)}' observer threw; the session goes on.`, error);
      }
    }
  }
}
