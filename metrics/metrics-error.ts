import { CodedError } from '../model/coded-error.js';

export type MetricsErrorCode = 'INVALID_INITIAL_EQUITY';

export class MetricsError extends CodedError<MetricsErrorCode> {
  override readonly name = 'MetricsError';
}
