import { fc, testProp } from '@fast-check/ava';
import { isSessionError, type Interval } from 'tapedeck';
import { harness } from '../support/session-harness.js';

// Promise 5: bad requests fail synchronously with a typed SessionError whose code a model of
// the session predicts; good requests never throw.

const MINUTES = 20;
const CONFIGURED = ['AAPL', 'MSFT'];
const SYMBOLS = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'aapl', '../X', 'TOO-LONG-SYMBOL-NAME'];
const VALID = /^[A-Z][A-Z0-9.-]{0,14}$/;

type Command =
  | { kind: 'start' }
  | { kind: 'add'; symbol: string; streams: string[] }
  | { kind: 'remove'; symbol: string; immediate: boolean }
  | { kind: 'advance'; minutes: number }
  | { kind: 'stop' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.constant<Command>({ kind: 'start' }),
  fc.record({ kind: fc.constant('add' as const), symbol: fc.constantFrom(...SYMBOLS), streams: fc.constantFrom<string[]>(['1m'], ['1m', '5m'], ['2m'], ['1h', 'day']) }),
  fc.record({ kind: fc.constant('remove' as const), symbol: fc.constantFrom(...SYMBOLS), immediate: fc.boolean() }),
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 0, max: 6 }) }),
  { arbitrary: fc.constant<Command>({ kind: 'stop' }), weight: 1 },
);

/** What the session should say to a request, from what the model knows. */
function expected(model: Model, command: Command): string | undefined {
  if (command.kind !== 'add' && command.kind !== 'remove') return undefined;
  if (model.phase !== 'running') return 'NOT_RUNNING';
  if (!VALID.test(command.symbol)) return 'INVALID_SYMBOL';
  const status = model.symbols.get(command.symbol);
  const present = status !== undefined && status !== 'removed';
  if (command.kind === 'remove') return present ? undefined : 'UNKNOWN_SYMBOL';
  if (command.streams.some((s) => !['1m', '5m', '15m', '30m', '1h'].includes(s))) return 'INVALID_INTERVAL';
  if (present) return model.configured.has(command.symbol) ? 'ALREADY_CONFIGURED' : 'DUPLICATE_SYMBOL';
  return undefined;
}

interface Model {
  phase: 'idle' | 'running' | 'closed';
  minute: number;
  symbols: Map<string, 'present' | 'draining' | 'removed'>;
  /** Configured symbols not yet removed (a draining one still counts): re-adding one after removal makes it dynamic. */
  configured: Set<string>;
}

testProp(
  'validation errors are synchronous, typed, and exactly the ones the model predicts',
  [fc.array(commandArb, { minLength: 1, maxLength: 30 })],
  async (t, commands) => {
    const { session } = harness({ symbols: CONFIGURED, minutes: MINUTES });
    const model: Model = { phase: 'idle', minute: 0, symbols: new Map(CONFIGURED.map((s) => [s, 'present'])), configured: new Set(CONFIGURED) };
    for (const command of commands) {
      const want = expected(model, command);
      let got: string | undefined;
      try {
        if (command.kind === 'add') void session.addSymbol(command.symbol, { streams: command.streams as Interval[] });
        if (command.kind === 'remove') void session.removeSymbol(command.symbol, { immediate: command.immediate });
      } catch (error) {
        t.true(isSessionError(error), `a SessionError, not ${String(error)}`);
        got = (error as { code: string }).code;
      }
      t.is(got, want, `${JSON.stringify(command)} in ${model.phase} at minute ${model.minute}`);
      if (want !== undefined) continue;
      switch (command.kind) {
        case 'add':
          model.symbols.set(command.symbol, 'present');
          break;
        case 'remove':
          model.symbols.set(command.symbol, command.immediate ? 'removed' : 'draining');
          // A symbol that was still queued is cancelled at once, graceful or not.
          if (session.listSymbols().find((s) => s.symbol === command.symbol)?.status === 'removed') model.symbols.set(command.symbol, 'removed');
          if (model.symbols.get(command.symbol) === 'removed') model.configured.delete(command.symbol);
          break;
        case 'start':
          if (model.phase !== 'idle') break;
          await session.start();
          model.phase = 'running';
          break;
        case 'advance':
          if (model.phase !== 'running') break;
          await session.advance(command.minutes);
          model.minute += command.minutes;
          if (command.minutes > 0) {
            for (const [s, status] of model.symbols) {
              if (status !== 'draining') continue;
              model.symbols.set(s, 'removed');
              model.configured.delete(s);
            }
          }
          if (model.minute >= MINUTES) model.phase = 'closed';
          break;
        case 'stop':
          if (model.phase === 'idle') break;
          await session.stop();
          model.phase = 'closed';
          break;
      }
    }
    if (session.state !== 'idle') await session.stop();
  },
  { numRuns: 200 },
);
