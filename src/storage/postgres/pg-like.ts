/**
 * The parts of node-postgres (`pg`) the store uses, declared here so that `cekit/postgres` loads
 * without `pg` installed and never ties users to one `pg` release. A `pg.Pool` fits as it is.
 */

/** What a query answers: its rows (one object per row, keyed by column name). */
export interface PgResultLike {
  rows: Array<Record<string, unknown>>;
  /** The command tag, e.g. `COMMIT`; PostgreSQL answers `ROLLBACK` to a COMMIT of a failed transaction. */
  command?: string;
}

/** One connection checked out of a pool (`pg.PoolClient`). */
export interface PgClientLike {
  /** Runs `text` with `values` as parameters ($1, $2...); without values, several statements may be sent at once. */
  query(text: string, values?: unknown[]): Promise<PgResultLike>;
  /** Returns the connection to the pool; with an error, closes it instead (its transaction rolls back). */
  release(error?: Error | boolean): void;
  /** A checked-out connection reports its death (server shutdown, timeout) as an `error` event. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection pool (`pg.Pool`). */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  /** An idle pooled connection's death is reported here (with the connection); unheard, it would crash Node. */
  on?(event: 'error', listener: (error: Error, client?: object) => void): unknown;
  /** `pg.Pool` keeps its size here; the store then never asks for more connections than it has. */
  readonly options?: { readonly max?: number };
}
