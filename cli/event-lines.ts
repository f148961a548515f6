import pc from 'picocolors';
import type { Session } from '../session/session.js';
import { caughtUpBars, count, fail, ok, symbolList } from './messages.js';
import { duration, exchangeTime } from './time-format.js';

/**
 * Turns what happens to a session's symbols into lines stamped with the simulated exchange time:
 * adds, catch-ups with their pause, failures, removals. The configured symbols that go active
 * together (at the open, all caught up in one pause) are told in one line; an added symbol gets
 * its own. Returns the unsubscribe function.
 */
export function logSessionEvents(session: Session, write: (line: string) => void): () => void {
  const stamp = (text: string) => `${pc.dim(exchangeTime(session.clock.now(), session.calendar.timeZone))} ${text}`;
  // Configured symbols gone active and not told yet: they go active in one go, the clock
  // stopped, so they are told in one line once that go is over (or before any other line).
  let active: string[] = [];
  const tellActive = () => {
    if (active.length === 0) return;
    write(stamp(ok(activeLine(active))));
    active = [];
  };
  const log = (line: string) => {
    tellActive();
    write(line);
  };
  const infoOf = (symbol: string) => session.listSymbols().find((s) => s.symbol === symbol);
  const offSymbol = session.on('symbol', ({ symbol, origin, status, error }) => {
    switch (status) {
      case 'queued':
        if (origin === 'dynamic') log(stamp(`${symbol} queued for addition (${infoOf(symbol)?.streams.join(', ')})`));
        break;
      case 'active':
        if (origin === 'dynamic') {
          log(stamp(ok(`${symbol} is active (caught up ${count(caughtUpBars(infoOf(symbol)?.caughtUp))} bars)`)));
          break;
        }
        if (active.length === 0) queueMicrotask(tellActive);
        active.push(symbol);
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
    tellActive();
  };
}

/** `AAPL is active`, `AAPL, MSFT are active`, `500 symbols (S000, S001, S002 … S499) are active`. */
function activeLine(symbols: readonly string[]): string {
  if (symbols.length === 1) return `${symbols[0]} is active`;
  return `${symbolList(symbols)} are active`;
}

