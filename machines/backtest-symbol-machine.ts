import { fromPromise } from 'xstate';
import { historyLoader } from '../actors/history-loader.js';
import type { SymbolJob } from '../actors/symbol-job.js';
import { symbolMachine } from './symbol-machine.js';

/**
 * The symbol chart in a backtest: `loadDay` reads the day from the bar store; the session then
 * catches up every symbol of its pause in one go and sends each `CAUGHT_UP`, so the symbol's
 * own catch-up only waits for it.
 */
export const backtestSymbolMachine = symbolMachine.provide({
  actors: {
    loadDay: historyLoader,
    catchUp: fromPromise<number, SymbolJob>(() => new Promise<never>(() => undefined)),
  },
});
