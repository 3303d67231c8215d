import type { Logger } from '../../core/logger.js';
import type { Database } from './connection.js';
import { isSetupRefused } from './errors.js';
import { prepareTable, type Table, type TableSpec } from './table.js';

/** How long an explicit `migrate()` waits for a free pooled connection (ms). */
const MIGRATE_WAIT_MS = 10_000;

/**
 * The store's table, prepared once per process (created first when `create`) and then reused. When
 * PostgreSQL refuses the store's statements (a missing table or schema, a missing permission), that
 * is warned about once, not once per request, and its end is reported once too.
 */
export class LocatedTable {
  #located: Promise<Table> | undefined;
  #refused = false;

  constructor(
    private readonly db: Database,
    private readonly spec: TableSpec,
    private readonly create: boolean,
    private readonly statementMs: number,
    private readonly logger: Logger,
  ) {}

  /** The prepared table; concurrent first uses share one preparation, a failed one is retried next time. */
  get(signal: AbortSignal): Promise<Table> {
    this.#located ??= prepareTable(this.db, this.spec, this.create, this.statementMs, signal).catch(
      (error: unknown) => {
        this.#located = undefined;
        this.failed(error);
        throw error;
      },
    );
    return this.#located;
  }

  /** Creates the table if it does not exist, whatever `createTable` says. */
  async migrate(): Promise<void> {
    const signal = AbortSignal.timeout(MIGRATE_WAIT_MS);
    try {
      this.#located = Promise.resolve(await prepareTable(this.db, this.spec, true, this.statementMs, signal));
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  /** A use of the table failed: a refused setup is warned about, and the table looked for again next time. */
  failed(error: unknown): void {
    if (!isSetupRefused(error)) return;
    this.#located = undefined; // dropped while in use: found (or created) again by the next request
    if (this.#refused) return;
    this.#refused = true;
    this.logger.warn(
      `cekit: PostgreSQL refuses the store's statements on ${this.spec.sql}; requests that load user attributes ` +
        'get the error fallback until this is fixed',
      { error: error.message },
    );
  }

  /** A user was opened: whatever was refused before is fixed. */
  worked(): void {
    if (!this.#refused) return;
    this.#refused = false;
    this.logger.info(
      `cekit: PostgreSQL accepts the store's statements on ${this.spec.sql} again; user attributes load normally`,
    );
  }
}
