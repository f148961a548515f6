import type { LogEntry } from './inspector-messages.js';

/**
 * The log entries waiting for the next update. Repeats of the last entry are counted, not
 * stored, and past `limit` entries are only counted: at `speed: 'max'` the session takes
 * thousands of TICKs a second, and neither memory nor the page should grow with them.
 */
export class EventLog {
  private entries: LogEntry[] = [];
  private skipped = 0;

  constructor(private readonly limit: number) {}

  /**
   * Adds an entry; `event`, when given, supplies its detail, worked out only when the entry is
   * kept or compared: at `speed: 'max'` most events arrive when the update is already full.
   */
  push(entry: Omit<LogEntry, 'count'>, event?: Record<string, unknown>): void {
    const last = this.entries.at(-1);
    let detail = entry.detail;
    if (last && last.actor === entry.actor && last.event === entry.event && last.from === entry.from) {
      detail ??= event && eventDetail(event);
      if (last.detail === detail) {
        last.count = (last.count ?? 1) + 1;
        last.wall = entry.wall;
        last.sim = entry.sim;
        return;
      }
    }
    if (this.entries.length >= this.limit) {
      this.skipped++;
      return;
    }
    detail ??= event && eventDetail(event);
    this.entries.push(detail === undefined ? entry : { ...entry, detail });
  }

  /** Everything since the last call. */
  take(): { entries: LogEntry[]; skipped: number } {
    const taken = { entries: this.entries, skipped: this.skipped };
    this.entries = [];
    this.skipped = 0;
    return taken;
  }
}

/** An event's scalar fields (and an error's code) as `key=value` pairs: enough to tell events apart, small to send. */
function eventDetail(event: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') parts.push(`${key}=${value}`);
    else if (typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string') parts.push(`${key}=${(value as { code: string }).code}`);
  }
  return parts.length > 0 ? parts.join(' ').slice(0, 160) : undefined;
}

/**
 * An event's type without the actor or state id xstate appends to its own events
 * (`xstate.done.actor.0.session.running.deactivated.catchingUp`): the log's `from` column names the sender.
 */
export function eventName(type: string): string {
  if (!type.startsWith('xstate.')) return type;
  const own = /^(xstate\.(?:done|error)\.actor|xstate\.done\.state)\./.exec(type);
  if (own) return own[1]!;
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  return after ? `xstate.after.${after[1]}` : type;
}
