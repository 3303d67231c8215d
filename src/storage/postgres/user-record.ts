import { StoreError } from '../errors.js';
import { checkSize } from '../json-text.js';
import type { KeyedLock } from '../keyed-lock.js';
import { retryUntil } from '../poll.js';
import { recordOf } from '../record.js';
import type { OpenOptions, UserRecord } from '../store.js';
import { Connection, type Database } from './connection.js';
import { advisoryKey } from './lock-key.js';
import { checkUserId } from './names.js';
import { beginStatement, type Table } from './table.js';

/** What `open()` needs from its store. */
export interface OpenContext {
  readonly db: Database;
  /** Requests of this process for one user queue here, each holding at most one connection. */
  readonly users: KeyedLock;
  readonly statementMs: number;
  readonly maxBytes: number;
  readonly table: {
    get(signal: AbortSignal): Promise<Table>;
    /** Told of every failure: a refused setup (a missing table...) is warned about once. */
    failed(error: unknown): void;
    /** Told of every success, which ends a refused setup. */
    worked(): void;
  };
}

/**
 * Added to `holdMs` before PostgreSQL ends an idle transaction itself: the request's own commit, sent
 * just before its deadline, must not lose the race against the server's timer.
 */
const HOLD_MARGIN_MS = 500;
/** The largest value PostgreSQL accepts for a timeout setting (ms). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Takes the user for one request: the in-process lock first (so this process uses one connection per
 * user, and requests queued for a busy user hold none), then a connection, a transaction, and the
 * user's advisory lock, then reads the stored JSON.
 */
export async function openUser(
  context: OpenContext,
  userId: string,
  { signal, holdMs }: OpenOptions,
): Promise<UserRecord> {
  checkUserId(userId);
  const table = await context.table.get(signal);
  const releaseUser = await context.users.acquire(userId, signal);
  let connection: Connection | undefined;
  try {
    const held = (connection = await Connection.checkout(context.db, signal));
    await held.query(beginStatement(context.statementMs, holdTimeout(holdMs)));
    const key = advisoryKey('cekit user', table.schema, table.name, userId);
    await retryUntil(async () => {
      const { rows } = await held.query('SELECT pg_catalog.pg_try_advisory_xact_lock($1::bigint) AS locked', [
        key,
      ]);
      return rows[0]?.locked === true ? true : undefined;
    }, signal);
    // A statement of its own, so READ COMMITTED reads with a snapshot taken after the lock was ours.
    const { rows } = await held.query(table.select, [userId]);
    const json = rows[0]?.json;
    context.table.worked();
    return heldUser(typeof json === 'string' ? json : undefined, held, table, userId, releaseUser, context);
  } catch (error) {
    // Gave up waiting: the transaction is sound, so end it and keep the connection. Anything else: close it.
    if (error instanceof StoreError && error.code === 'STORE_LOCK_TIMEOUT') await connection?.rollback();
    else connection?.close(error);
    context.table.failed(error);
    releaseUser();
    throw error;
  }
}

/** idle_in_transaction_session_timeout for a hold of `holdMs`: never 0, which would mean "no limit". */
function holdTimeout(holdMs: number): number {
  if (!Number.isFinite(holdMs)) return MAX_TIMEOUT_MS;
  return Math.min(MAX_TIMEOUT_MS, Math.ceil(Math.max(0, holdMs)) + HOLD_MARGIN_MS);
}

/** One request's transaction on one user, ended exactly once by commit or release. */
function heldUser(
  json: string | undefined,
  connection: Connection,
  table: Table,
  userId: string,
  releaseUser: () => void,
  context: OpenContext,
): UserRecord {
  const end = async (): Promise<void> => {
    try {
      await connection.rollback();
    } finally {
      releaseUser();
    }
  };
  return recordOf(json, {
    async commit(next) {
      try {
        // Text that is not JSON is refused by the jsonb cast itself (a data error: STORE_VALUE_INVALID).
        if (next !== undefined) checkSize(next, context.maxBytes);
      } catch (error) {
        await end();
        throw error;
      }
      try {
        if (next === undefined) await connection.query(table.delete, [userId]);
        else await connection.query(table.upsert, [userId, next]); // text, cast to jsonb by the server
        const done = await connection.query('COMMIT');
        if (done.command === 'ROLLBACK')
          throw new StoreError(
            'STORE_UNAVAILABLE',
            'PostgreSQL rolled the transaction back; nothing was written.',
          );
        connection.giveBack();
      } catch (error) {
        // Whether a COMMIT whose answer never came was applied is unknown: the request is told it failed.
        connection.close(error);
        context.table.failed(error);
        throw error;
      } finally {
        releaseUser();
      }
    },
    release: end,
  });
}
