import { type ErrorLocation, GatechainError } from '../util/errors.ts';

/**
 * Stable codes for every failure the store reports. Callers branch on these; messages are for
 * people. A store error never carries a connection password (URLs are redacted before use).
 */
export type StoreErrorCode =
  | 'STORE_AMBIGUOUS_ID'
  | 'STORE_BUSY'
  | 'STORE_CLOSED'
  | 'STORE_CORRUPT'
  | 'STORE_INPUT_INVALID'
  | 'STORE_IO'
  | 'STORE_NEEDS_MIGRATION'
  | 'STORE_NOT_FOUND'
  | 'STORE_OPEN_FAILED'
  | 'STORE_QUERY_INVALID'
  | 'STORE_READONLY'
  | 'STORE_UNAVAILABLE'
  | 'STORE_URL_INVALID'
  | 'STORE_VERSION_TOO_NEW';

export class StoreError extends GatechainError {
  declare readonly code: StoreErrorCode;

  constructor(
    code: StoreErrorCode,
    message: string,
    location: ErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, location, options);
    this.name = 'StoreError';
  }
}

export function isStoreError(value: unknown, code?: StoreErrorCode): value is StoreError {
  return value instanceof StoreError && (code === undefined || value.code === code);
}
