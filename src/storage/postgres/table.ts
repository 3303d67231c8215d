import { Connection, type Database } from './connection.js';
import { advisoryKey } from './lock-key.js';
import { quoteIdentifier } from './names.js';

/** The table as configured: names already checked and quoted. */
export interface TableSpec {
  /** The configured schema, or undefined to follow the connection's search_path. */
  readonly schema: string | undefined;
  readonly name: string;
  /** The configured name as written in SQL (`"schema"."table"` or `"table"`). */
  readonly sql: string;
}

/** The table the store works on, found in the catalog: statements and lock keys use its schema. */
export interface Table {
  readonly schema: string;
  readonly name: string;
  readonly select: string;
  readonly upsert: string;
  readonly delete: string;
}

/** Checks and quotes the configured names (a TypeError for a name PostgreSQL would not keep). */
export function tableSpec(schema: string | undefined, name: string): TableSpec {
  const table = quoteIdentifier(name, 'table');
  return {
    schema,
    name,
    sql: schema === undefined ? table : `${quoteIdentifier(schema, 'schema')}.${table}`,
  };
}

/**
 * `BEGIN` with the transaction's time limits. Both numbers are computed by the store (never taken from
 * a request), and `SET` takes no parameters, so they are written into the text. READ COMMITTED is
 * explicit: each statement then sees what the previous holder of the user committed, whatever the
 * database's default isolation level.
 */
export function beginStatement(statementMs: number, idleMs?: number): string {
  const parts = ['BEGIN ISOLATION LEVEL READ COMMITTED', `SET LOCAL statement_timeout = ${statementMs}`];
  if (idleMs !== undefined) parts.push(`SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`);
  return parts.join('; ');
}

/**
 * Finds the table (creating it first when `create` and it is missing) and returns its statements.
 * Creation is serialised across processes by a transaction-scoped advisory lock, because two
 * concurrent `CREATE TABLE IF NOT EXISTS` can still collide in PostgreSQL's catalog. An existing
 * table is never touched, so a role without CREATE privilege can use a table made by someone else.
 */
export async function prepareTable(
  db: Database,
  spec: TableSpec,
  create: boolean,
  statementMs: number,
  signal: AbortSignal,
): Promise<Table> {
  const connection = await Connection.checkout(db, signal);
  try {
    await connection.query(beginStatement(statementMs));
    if (create) {
      const found = await connection.query('SELECT pg_catalog.to_regclass($1) IS NOT NULL AS present', [
        spec.sql,
      ]);
      if (found.rows[0]?.present !== true) {
        // One key per table name whatever the schema setting, so differently configured processes still take turns.
        await connection.query('SELECT pg_catalog.pg_advisory_xact_lock($1::bigint)', [
          advisoryKey('cekit migrate', spec.name),
        ]);
        await connection.query(
          `CREATE TABLE IF NOT EXISTS ${spec.sql} (
            user_id text PRIMARY KEY,
            value jsonb NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT pg_catalog.now()
          )`,
        );
      }
    }
    // A cast to regclass fails with "does not exist" (42P01) when the table is missing: an explained outage.
    const located = await connection.query(
      `SELECT n.nspname AS schema FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = $1::regclass`,
      [spec.sql],
    );
    await connection.query('COMMIT');
    connection.giveBack();
    return statementsFor(String(located.rows[0]?.schema), spec.name);
  } catch (error) {
    connection.close(error);
    throw error;
  }
}

/** Statements naming the table with the schema it was found in, whatever the search_path later. */
function statementsFor(schema: string, name: string): Table {
  const table = `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(name, 'table')}`;
  return {
    schema,
    name,
    select: `SELECT value::text AS json FROM ${table} WHERE user_id = $1`,
    upsert:
      `INSERT INTO ${table} (user_id, value) VALUES ($1, $2::jsonb) ` +
      'ON CONFLICT (user_id) DO UPDATE SET value = EXCLUDED.value, updated_at = pg_catalog.now()',
    delete: `DELETE FROM ${table} WHERE user_id = $1`,
  };
}
