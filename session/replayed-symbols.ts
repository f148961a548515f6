import type { Interval } from '../model/bar.js';
import type { RecordedCommand, RecordedConfig } from '../model/session-recorder.js';

/** The symbols a run had at the end of its commands: the configured ones, then each add and removal in order. */
export function symbolsAfter(config: RecordedConfig, commands: readonly RecordedCommand[]): Array<{ symbol: string; streams: Interval[] }> {
  const live = new Map(config.symbols.map((entry) => [entry.symbol, [...entry.streams]]));
  for (const { command } of commands) {
    if (command.op === 'add') live.set(command.symbol, [...command.streams]);
    else live.delete(command.symbol);
  }
  return [...live].map(([symbol, streams]) => ({ symbol, streams }));
}
