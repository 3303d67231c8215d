import { describeError, type Logger } from '../core/logger.js';
import { StoreError } from './errors.js';

/**
 * Whether a store's database answers, shared by all requests of one store. The first failure of an
 * outage is logged once as a warning; while it lasts, requests fail at once with `STORE_UNAVAILABLE`
 * (no pile-up of requests each waiting `timeoutMs`), except one at a time let through to find out
 * whether the database is back. The first success logs the recovery and lets everyone through.
 */
export class Availability {
  #down = false;
  #since = 0;
  #probing = false;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  get isDown(): boolean {
    return this.#down;
  }

  /**
   * Runs one database operation within `timeoutMs`. A failure or timeout (after `onLate`, the undo of
   * an operation that may still complete) is reported and rethrown as `STORE_UNAVAILABLE`. Errors
   * that are the caller's (a StoreError thrown inside) pass through without counting as an outage.
   */
  async run<R>(operation: () => Promise<R>, onLate?: (late: Promise<R>) => void): Promise<R> {
    let probe = false;
    if (this.#down) {
      if (this.#probing) throw this.unavailable();
      this.#probing = probe = true;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: Promise<R> | undefined;
    try {
      pending = operation();
      const result = await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            onLate?.(pending!);
            reject(new Error(`no answer within ${this.timeoutMs} ms (timeoutMs)`));
          }, this.timeoutMs);
        }),
      ]);
      this.succeeded();
      return result;
    } catch (error) {
      if (error instanceof StoreError) throw error;
      this.failed(error);
      throw this.unavailable(error);
    } finally {
      clearTimeout(timer);
      if (probe) this.#probing = false;
      pending?.catch(() => undefined); // a late rejection after a timeout is already reported
    }
  }

  /** The database answered: ends an outage (logged once). */
  succeeded(): void {
    if (!this.#down) return;
    this.#down = false;
    this.logger.info(`cekit: ${this.name} answers again; user attributes load normally`, {
      outageMs: Math.round(performance.now() - this.#since),
    });
  }

  /** The database failed (an operation, or the client's own connection error event): starts an outage. */
  failed(error: unknown): void {
    if (this.#down) return;
    this.#down = true;
    this.#since = performance.now();
    this.logger.warn(
      `cekit: ${this.name} does not answer; requests that load user attributes get the error fallback until it does`,
      describeError(error),
    );
  }

  /** The error of a request turned away by the outage (`cause`: the failure that was its news, if any). */
  unavailable(cause?: unknown): StoreError {
    return new StoreError(
      'STORE_UNAVAILABLE',
      `${this.name} is unavailable: ${cause === undefined ? 'an outage is in progress' : describeError(cause).error}`,
      { cause },
    );
  }
}
