/**
 * `cekit/postgres`: user attributes in PostgreSQL, shared safely by any number of processes.
 * node-postgres (`pg`) is the caller's: this module never imports it.
 */
import { describeError, resolveLogger, type Logger } from '../core/logger.js';
import { withAccess, type StoreAccess } from './access.js';
import { Availability } from './availability.js';
import { DEFAULT_MAX_BYTES } from './json-text.js';
import { KeyedLock } from './keyed-lock.js';
import type { Database } from './postgres/connection.js';
import type { PgPoolLike } from './postgres/pg-like.js';
import { Slots } from './postgres/slots.js';
import { LocatedTable } from './postgres/located-table.js';
import { tableSpec } from './postgres/table.js';
import { openUser } from './postgres/user-record.js';
import type { UserStore } from './store.js';

export type { PgClientLike, PgPoolLike, PgResultLike } from './postgres/pg-like.js';

/** Options of `postgresStore()`: only `pool` is required. */
export interface PostgresStoreOptions {
  /**
   * A `pg.Pool` (node-postgres). Each user being served holds one of its connections from
   * `ctx.user.load()` until the answer is saved, so `max` is how many users are served at once; more
   * wait for a free connection (within their response budget). Give the store a pool of its own, or
   * one whose other users return connections quickly: the store counts only its own connections.
   */
  pool: PgPoolLike;
  /** The table. Default `cekit_user_attributes`. Any name up to 63 bytes; it is always quoted. */
  table?: string;
  /** The table's schema, which must exist. Default: the first schema of the connection's search_path that has it. */
  schema?: string;
  /**
   * Create the table if it does not exist, once per process at first use (as `migrate()` does).
   * Default `true`. With `false` the table must exist; if it does not, requests that load user
   * attributes get the error fallback and one warning says how to create it.
   */
  createTable?: boolean;
  /**
   * The longest one round trip to PostgreSQL may take (ms), connecting included; longer counts as the
   * database not answering (the request gets the error fallback). Default 1000.
   */
  timeoutMs?: number;
  /** The longest JSON (UTF-8 bytes) one user's attributes may take. Default 64 KiB. */
  maxBytes?: number;
  /** Where outages (one warning each) and recoveries are reported. Default `consoleLogger()`. */
  logger?: Logger;
}

/** A PostgreSQL user store: the `UserStore`, direct `get`/`set`/`delete`, and `migrate()`. */
export type PostgresStore<T = Record<string, unknown>> = UserStore &
  StoreAccess<T> & {
    /**
     * Creates the table if it does not exist (`user_id text PRIMARY KEY, value jsonb NOT NULL,
     * updated_at timestamptz NOT NULL DEFAULT now()`). Idempotent, and safe to run from several
     * processes at once. Rejects with `STORE_UNAVAILABLE` when PostgreSQL refuses or does not answer.
     */
    migrate(): Promise<void>;
  };

const DEFAULT_TABLE = 'cekit_user_attributes';
const DEFAULT_TIMEOUT_MS = 1000;

/**
 * Keeps each user's attributes as one JSONB row, so several processes (instances behind a load
 * balancer) can serve the same users without losing updates.
 *
 * **The guarantee.** A request that loads a user's attributes holds that user until its answer is
 * saved or dropped: requests for one user in any process sharing the database run one after the
 * other, and each reads what the previous one committed. The hold is a transaction-scoped advisory
 * lock (`pg_try_advisory_xact_lock`) on a 64-bit hash of the table and user id, taken inside the
 * transaction that reads and then writes the row. It ends with that transaction: at COMMIT or
 * ROLLBACK, or when the server ends the session because the connection died (a crashed process) or
 * stayed idle in the transaction past the request's remaining budget plus a small margin (a hung
 * process; `idle_in_transaction_session_timeout`). A write is all or nothing: if anything fails, or the
 * COMMIT's answer does not come within `timeoutMs`, the request gets the error fallback and the
 * connection is closed so the server rolls the transaction back (a COMMIT the server applied just
 * before its answer was lost stays applied). A commit after the server ended the transaction is
 * refused with `STORE_LOCK_LOST`, writing nothing.
 *
 * **Limits.** Each user being served holds one pooled connection for the whole request, including
 * the handler's own work: the pool's `max` bounds how many users one process serves at once (requests
 * for one user queue in the process and hold no connection while they wait; a request that cannot get
 * a connection before its budget runs out gets `STORE_LOCK_TIMEOUT`). Two users whose hashes
 * collide take turns, which is harmless. Waiting for a user another process holds is polling with a
 * short backoff. An outage (refused connection, timeout, bad credentials) is logged once as a
 * warning and its end once as info; meanwhile requests that load user attributes get the error
 * fallback quickly, and requests that do not, answer normally. A setup PostgreSQL refuses (a missing
 * table with `createTable: false`, a missing permission) is warned about once the same way. The store listens to the pool's
 * `error` event (an idle connection dropped, logged at debug level), so it never crashes the process.
 *
 * Values and user ids are always query parameters; table and schema names are checked and quoted.
 *
 * @example
 * // pg (node-postgres) is your own dependency, imported as usual.
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
 * const app = createExtension({ extensionId: 'com.example.counter', storage: postgresStore({ pool }) });
 */
export function postgresStore<T = Record<string, unknown>>(options: PostgresStoreOptions): PostgresStore<T> {
  const { pool, createTable = true, timeoutMs = DEFAULT_TIMEOUT_MS, maxBytes = DEFAULT_MAX_BYTES } = options;
  if (typeof pool?.connect !== 'function')
    throw new TypeError('postgresStore: pool must be a pg.Pool (an object with connect()).');
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
    throw new TypeError('postgresStore: timeoutMs must be a positive number of milliseconds.');
  if (!(Number.isInteger(maxBytes) && maxBytes > 0))
    throw new TypeError('postgresStore: maxBytes must be a positive integer.');
  const logger = resolveLogger(options.logger);
  const spec = tableSpec(options.schema, options.table ?? DEFAULT_TABLE);
  const availability = new Availability('PostgreSQL', logger, timeoutMs);
  const db: Database = {
    pool,
    availability,
    slots: new Slots(poolSize(pool)),
    table: spec.sql,
    closed: new WeakSet(),
  };
  // A pooled connection that died while idle (server restart, network reset, an administrator) says
  // little about whether PostgreSQL answers now: the pool drops it, and the next request that needs a
  // connection finds out (reporting it as an outage would fail concurrent healthy requests fast).
  pool.on?.('error', (error: Error, client?: object) => {
    if (client !== undefined && db.closed.has(client)) return; // closed by the store on purpose
    logger.debug('cekit: PostgreSQL closed an idle pooled connection', describeError(error));
  });
  const statementMs = Math.ceil(timeoutMs);
  const table = new LocatedTable(db, spec, createTable, statementMs, logger);
  const users = new KeyedLock();
  const store: UserStore & { migrate(): Promise<void> } = {
    maxBytes,
    open: (userId, openOptions) => openUser({ db, users, statementMs, maxBytes, table }, userId, openOptions),
    migrate: () => table.migrate(),
  };
  return withAccess<UserStore & { migrate(): Promise<void> }, T>(store, maxBytes);
}

/** The pool's size when it tells (`pg.Pool` does); otherwise the store never waits for a slot. */
function poolSize(pool: PgPoolLike): number {
  const max = pool.options?.max;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : Infinity;
}
