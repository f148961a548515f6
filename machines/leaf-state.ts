import type { StateValue } from 'xstate';

/** The innermost state of a (nested, non-parallel) state value: `{ running: 'streaming' }` → `streaming`. */
export function leafState(value: StateValue): string {
  let current: unknown = value;
  while (current && typeof current === 'object') current = Object.values(current)[0];
  return String(current);
}
