import { InvalidArgumentError } from 'commander';
import type { BacktestSpeed } from '../actors/backtest-clock.js';
import { isInterval, type Interval } from '../model/bar.js';
import { assertValidSymbol } from '../model/symbol-name.js';

// Parsers for commander arguments and options: a bad value is a usage error (exit 2), reported
// by commander on one line with the name of the argument or option.

function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * The same check, and the same words, as the session's and the control API's: a symbol the
 * API would refuse (lowercase included) is refused here, not rewritten.
 */
export function parseSymbol(value: string): string {
  try {
    return assertValidSymbol(value.trim());
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export function parseSymbols(value: string): string[] {
  const symbols = splitList(value);
  if (symbols.length === 0) throw new InvalidArgumentError('Give at least one symbol, e.g. AAPL,MSFT.');
  return [...new Set(symbols.map(parseSymbol))];
}

export function parseStreams(value: string): Interval[] {
  const streams = splitList(value);
  const bad = streams.filter((s) => !isInterval(s));
  if (streams.length === 0 || bad.length > 0) {
    throw new InvalidArgumentError(`Use intervals among 1m, 5m, 15m, 30m, 1h, e.g. 1m,5m${bad.length > 0 ? ` (not ${bad.join(', ')})` : ''}.`);
  }
  return [...new Set(streams as Interval[])];
}

export function parseSpeed(value: string): BacktestSpeed {
  if (value === 'max') return 'max';
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed <= 0) throw new InvalidArgumentError('Use simulated seconds per real second (60 = a minute a second), or max.');
  return speed;
}

export function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('Use a whole number, e.g. 42.');
  return seed;
}

export function parsePort(value: string): number {
  const port = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw new InvalidArgumentError(`Invalid port ${JSON.stringify(value)}: use a whole number from 0 (any free port) to 65535.`);
  }
  return port;
}
