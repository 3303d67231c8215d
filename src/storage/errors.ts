/**
 * Why user attributes could not be loaded or saved. Codes are stable and listed in `docs/errors.md`.
 * A handler (or `app.onError`) may catch these to answer in its own words; otherwise the user hears
 * the error fallback and nothing of the request's changes is written.
 */
export type StoreErrorCode =
  /** The database did not answer within the store's `timeoutMs` (down, slow, refusing auth). */
  | 'STORE_UNAVAILABLE'
  /** Another request held the user for longer than this request could wait. */
  | 'STORE_LOCK_TIMEOUT'
  /** The hold expired before the commit (the request outlived its budget); nothing was written. */
  | 'STORE_LOCK_LOST'
  /** The attributes cannot be stored as JSON (a function, a Date, a cycle, NaN...). */
  | 'STORE_VALUE_INVALID'
  /** The attributes' JSON is longer than the store's `maxBytes`. */
  | 'STORE_VALUE_TOO_LARGE'
  /** What is stored for the user is not a JSON object (written by something other than cekit). */
  | 'STORE_VALUE_CORRUPT';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** Whether `error` is a store outage (already reported once per outage by the store). */
export function isStoreOutage(error: unknown): boolean {
  return error instanceof StoreError && error.code === 'STORE_UNAVAILABLE';
}

/** The rejection of a wait cut short: the caller's own reason when it gave a StoreError. */
export function lockTimeout(signal: AbortSignal): StoreError {
  const reason: unknown = signal.reason;
  if (reason instanceof StoreError) return reason;
  return new StoreError(
    'STORE_LOCK_TIMEOUT',
    'Another request held this user for longer than this request could wait.',
    { cause: reason },
  );
}
