import { StoreError } from '../errors.js';

/** The SQLSTATE of a PostgreSQL error (node-postgres puts it on `code`), or undefined. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** idle_in_transaction_session_timeout ended the session: the hold on the user is gone. */
const HOLD_EXPIRED = '25P03';
const UNDEFINED_TABLE = '42P01';
/** Data exceptions, integrity constraints, program limits: this user's value (or id) is the problem. */
const VALUE_CLASSES = ['22', '23', '54'];
/**
 * Access rules and syntax (missing table, permission denied...), missing schema, unsupported
 * feature: the server answers but refuses the store's statements until someone fixes the setup.
 */
const SETUP_CLASSES = ['42', '3F', '0A'];

/** Marks a refusal of the setup, so the store can warn about it once. */
class SetupRefused extends StoreError {}

/**
 * What a failed round trip means for the caller. A StoreError passes `Availability.run` without
 * counting as an outage: the hold expired (STORE_LOCK_LOST), PostgreSQL refused this user's data
 * (STORE_VALUE_INVALID), or it refused the store's statements (STORE_UNAVAILABLE, reported once by
 * the store's table: counted as outages, they would flap between "down" and "back" on every request
 * since connecting works). Everything else (refused connections, timeouts, shutdowns, bad
 * credentials) is an outage as it is.
 */
export function explain(error: unknown, table: string): unknown {
  const state = sqlState(error);
  if (state === undefined) return error;
  if (state === HOLD_EXPIRED)
    return new StoreError(
      'STORE_LOCK_LOST',
      'The hold on this user expired (idle_in_transaction_session_timeout ended the transaction); nothing was written.',
      { cause: error },
    );
  // The primary message never quotes the value (the detail may: it is left out).
  const message = (error as Error).message;
  if (VALUE_CLASSES.includes(state.slice(0, 2)))
    return new StoreError(
      'STORE_VALUE_INVALID',
      `PostgreSQL refused the user attributes: ${message}; nothing was written.`,
      { cause: error },
    );
  if (state === UNDEFINED_TABLE)
    return new SetupRefused(
      'STORE_UNAVAILABLE',
      `The table ${table} does not exist: create it with store.migrate(), or let the store create it (createTable: true).`,
      { cause: error },
    );
  if (SETUP_CLASSES.includes(state.slice(0, 2)))
    return new SetupRefused(
      'STORE_UNAVAILABLE',
      `PostgreSQL refused the store's statement on ${table}: ${message}`,
      {
        cause: error,
      },
    );
  return error;
}

/** Whether `error` is `explain()`'s answer to a setup PostgreSQL refuses (missing table, permissions...). */
export function isSetupRefused(error: unknown): error is StoreError {
  return error instanceof SetupRefused;
}
