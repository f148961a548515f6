/**
 * The shape of every error tapedeck throws on purpose: `code` for a program to branch on,
 * `message` for a person to act on, `details` for both. Each layer names its own codes.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: Code, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}
