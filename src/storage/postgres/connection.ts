import type { Availability } from '../availability.js';
import { explain } from './errors.js';
import type { PgClientLike, PgPoolLike, PgResultLike } from './pg-like.js';
import type { Slots } from './slots.js';

/** What all connections of one store share. */
export interface Database {
  readonly pool: PgPoolLike;
  readonly availability: Availability;
  readonly slots: Slots;
  /** The configured table as written in SQL, for error messages. */
  readonly table: string;
  /** Connections this store closed: what they report while closing is no news about the database. */
  readonly closed: WeakSet<object>;
}

/**
 * One pooled connection, checked out for one job. Every round trip is bounded by `timeoutMs` and
 * reported to the store's `Availability`. A connection that failed or timed out is closed, never
 * returned to the pool: the server then rolls back whatever it was in the middle of, and nobody
 * reuses a session in an unknown state.
 */
export class Connection {
  #client: PgClientLike | undefined;
  /** The error event the connection reported while checked out (it is unusable from then on). */
  #broken: unknown;
  readonly #onError = (error: Error) => {
    this.#broken ??= error;
  };

  private constructor(
    private readonly db: Database,
    client: PgClientLike,
    private readonly giveSlot: () => void,
  ) {
    this.#client = client;
    // node-postgres emits `error` on a checked-out connection that dies; unheard, it would crash Node.
    client.on?.('error', this.#onError);
  }

  /** Takes a free slot (waiting at most until `signal`), then a connection within `timeoutMs`. */
  static async checkout(db: Database, signal: AbortSignal): Promise<Connection> {
    if (db.availability.isDown && !db.slots.hasFree)
      // Every slot is a connection attempt still hanging on the outage: waiting would only delay the fallback.
      throw db.availability.unavailable();
    const giveSlot = await db.slots.acquire(signal);
    let late = false;
    try {
      const client = await db.availability.run(
        () => db.pool.connect(),
        (pending) => {
          late = true;
          // A connection arriving after the timeout is closed unused; its slot frees once it settles.
          void pending
            .then(
              (client) => closeQuietly(db, client, new Error('connected after timeoutMs')),
              () => undefined,
            )
            .finally(giveSlot);
        },
      );
      return new Connection(db, client, giveSlot);
    } catch (error) {
      if (!late) giveSlot();
      throw error;
    }
  }

  /** One round trip; rejects with STORE_UNAVAILABLE, or a StoreError about this user's data or hold. */
  query(text: string, values?: unknown[]): Promise<PgResultLike> {
    const client = this.#client;
    if (client === undefined)
      return Promise.reject(new Error('cekit: this PostgreSQL connection was already let go.'));
    return this.db.availability.run(
      async () => {
        if (this.#broken !== undefined) throw explain(this.#broken, this.db.table);
        try {
          return await client.query(text, values);
        } catch (error) {
          throw explain(this.#broken ?? error, this.db.table);
        }
      },
      () => this.close(new Error('PostgreSQL did not answer within timeoutMs')),
    );
  }

  /** Ends the transaction without writing and returns the connection; closes it if that fails. Never rejects. */
  async rollback(): Promise<void> {
    if (this.#client === undefined) return;
    if (this.#broken !== undefined) return this.close(this.#broken);
    try {
      await this.query('ROLLBACK');
      this.giveBack();
    } catch (error) {
      this.close(error);
    }
  }

  /** Returns the connection to the pool: only when it is healthy and outside any transaction. */
  giveBack(): void {
    const client = this.#let();
    if (client === undefined) return;
    client.removeListener?.('error', this.#onError);
    client.release();
    this.giveSlot();
  }

  /** Closes the connection (the server rolls back its transaction, releasing the user's lock). */
  close(reason: unknown): void {
    const client = this.#let();
    if (client === undefined) return;
    closeQuietly(this.db, client, reason instanceof Error ? reason : new Error(String(reason)));
    this.giveSlot();
  }

  #let(): PgClientLike | undefined {
    const client = this.#client;
    this.#client = undefined;
    return client;
  }
}

function closeQuietly(db: Database, client: PgClientLike, reason: Error): void {
  db.closed.add(client);
  try {
    client.release(reason); // node-postgres: with an error, the pool closes the connection
  } catch {
    // Released twice by someone else: it is out of our hands either way.
  }
}
