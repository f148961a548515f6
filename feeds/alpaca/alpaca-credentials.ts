import { inspect } from 'node:util';
import { SessionError } from '../../model/session-error.js';

const REDACTED = 'AlpacaCredentials [redacted]';

/**
 * An Alpaca key pair. The values live in private fields and every way of printing the object
 * (`console.log`, `JSON.stringify`, string conversion, `util.inspect`) shows `[redacted]`, so a
 * log line or an error report can never carry them.
 */
export class AlpacaCredentials {
  readonly #keyId: string;
  readonly #secret: string;

  constructor(keyId: string, secret: string) {
    this.#keyId = keyId;
    this.#secret = secret;
  }

  /** From options, else `APCA_API_KEY_ID` / `APCA_API_SECRET_KEY`; `INVALID_OPTION` (naming no value) when missing. */
  static resolve(options: { keyId?: string; secretKey?: string } = {}, env: NodeJS.ProcessEnv = process.env): AlpacaCredentials {
    const keyId = options.keyId ?? env['APCA_API_KEY_ID'];
    const secret = options.secretKey ?? env['APCA_API_SECRET_KEY'];
    if (!keyId || !secret) {
      throw new SessionError('INVALID_OPTION', 'Alpaca needs an API key: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment (or pass keyId and secretKey).');
    }
    return new AlpacaCredentials(keyId, secret);
  }

  /** The stream's auth message. */
  authMessage(): { action: 'auth'; key: string; secret: string } {
    return { action: 'auth', key: this.#keyId, secret: this.#secret };
  }

  /** The REST API's auth headers. */
  headers(): Record<string, string> {
    return { 'APCA-API-KEY-ID': this.#keyId, 'APCA-API-SECRET-KEY': this.#secret };
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
