import { symbolMachine } from './symbol-machine.js';

/**
 * The symbol chart in a backtest: the session loads the days of a pause's symbols in one read
 * and sends each `LOADED`, then catches them all up in one go and sends `CAUGHT_UP`, so the
 * symbol starts no load and no catch-up of its own: it waits for those.
 */
export const backtestSymbolMachine = symbolMachine.provide({
  actions: { startLoad: () => undefined, stopLoad: () => undefined, startCatchUp: () => undefined, stopCatchUp: () => undefined },
});
