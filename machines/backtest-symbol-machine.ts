import { statusReport, symbolMachine } from './symbol-machine.js';

/**
 * The symbol chart in a backtest: the session loads the days of a pause's symbols in one read
 * and sends each `LOADED`, then catches them all up in one go and sends `CAUGHT_UP`, so the
 * symbol starts no load and no catch-up of its own: it waits for those.
 *
 * It therefore only ever moves on an event its session sent it (or on being spawned), and its
 * statuses need no event of their own: each is put in the session's `statuses`, which the
 * session hands on once its step is over — by then every symbol it moved has moved. Sending each
 * status to the session machine, which only passed it on, made four session steps per symbol:
 * a seventh of a 500-symbol session's start.
 */
export const backtestSymbolMachine = symbolMachine.provide({
  actions: {
    reportStatus: ({ context }, { status }) => {
      if (!context.statuses) throw new Error(`${context.symbol} was spawned without the session's statuses.`);
      context.statuses.push(statusReport(context, status));
    },
    startLoad: () => undefined,
    stopLoad: () => undefined,
    startCatchUp: () => undefined,
    stopCatchUp: () => undefined,
  },
});
