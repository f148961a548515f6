import { historyLoader } from '../actors/history-loader.js';
import { symbolMachine } from './symbol-machine.js';

/**
 * The symbol chart in a backtest: `loadDay` reads the day from the bar store; the session then
 * catches up every symbol of its pause in one go and sends each `CAUGHT_UP`, so the symbol
 * starts no catch-up of its own: it waits for that.
 */
export const backtestSymbolMachine = symbolMachine.provide({
  actors: { loadDay: historyLoader },
  actions: { startCatchUp: () => undefined, stopCatchUp: () => undefined },
});
