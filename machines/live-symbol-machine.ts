import { addHistory, fillGap } from '../actors/live-history-loader.js';
import { sourceOf } from '../actors/symbol-job.js';
import { symbolMachine } from './symbol-machine.js';

/**
 * The symbol chart in a live session. It is subscribed before it loads, so no minute falls
 * between its history and its first live bar: `loadDay` fetches trailing days and today so far
 * while the feed's bars for it wait in the data plane, then merges both. A feed reconnect sends
 * it back through `catchingUp`, hidden from the strategy while the missed bars are fetched.
 */
export const liveSymbolMachine = symbolMachine.provide({
  actors: { loadDay: addHistory, catchUp: fillGap },
  actions: {
    hide: ({ context }) => sourceOf(context, 'live').engine.beginFill(context.symbol),
    /** A no-op after a fill that completed; otherwise writes back what is held and shows the symbol. */
    show: ({ context }) => {
      sourceOf(context, 'live').engine.completeFill(context.symbol);
    },
  },
});
