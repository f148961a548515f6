export type MetricsErrorCode = 'INVALID_INITIAL_EQUITY';

export class MetricsError extends Error {
  override readonly name = 'MetricsError';
  readonly code: MetricsErrorCode;

  constructor(code: MetricsErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
