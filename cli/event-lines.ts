import pc from 'picocolors';
import type { Session } from '../session/session.js';
import { caughtUpBars, count, fail, ok } from './messages.js';
import { duration, exchangeTime } from './time-format.js';

/**
 * Turns what happens to a session's symbols into lines stamped with the simulated exchange time:
 * adds, catch-ups with their pause, failures, removals. Returns the unsubscribe function.
 */
export function logSessionEvents(session: Session, log: (line: string) => void): () => void {
  const stamp = (text: string) => `${pc.dim(exchangeTime(session.clock.now(), session.calendar.timeZone))} ${text}`;
  const offSymbol = session.on('symbol', ({ symbol, status, error }) => {
    const info = session.listSymbols().find((s) => s.symbol === symbol);
    const dynamic = info?.origin === 'dynamic';
    switch (status) {
      case 'queued':
        if (dynamic) log(stamp(`${symbol} queued for addition (${info.streams.join(', ')})`));
        break;
      case 'active':
        log(stamp(ok(dynamic ? `${symbol} is active (caught up ${count(caughtUpBars(info.caughtUp))} bars)` : `${symbol} is active`)));
        break;
      case 'failed':
        log(stamp(fail(`${symbol} failed: ${error ? `${error.code} ${error.message}` : 'unknown reason'}`)));
        break;
      case 'draining':
        log(stamp(`${symbol} draining…`));
        break;
      case 'removed':
        log(stamp(`${symbol} removed`));
        break;
    }
  });
  const offPause = session.on('pause', (event) => {
    if (event.phase === 'end' && event.record.reason === 'add') {
      log(stamp(`stream paused ${duration(event.record.durationMs)} to catch up ${event.record.symbols.join(', ')}`));
    }
  });
  return () => {
    offSymbol();
    offPause();
  };
}
