import { StoreError } from '../errors.js';

/**
 * Counts the pool's connections this store has out (connecting, held, or closing after a timeout),
 * so it never asks a full pool for another: a wait for a free connection is then bounded by the
 * request's own patience, not mistaken for a database that does not answer within `timeoutMs`.
 */
export class Slots {
  #free: number;
  readonly #waiters: Array<() => void> = [];

  constructor(readonly size: number) {
    this.#free = size;
  }

  /** Whether a connection can be asked for without waiting. */
  get hasFree(): boolean {
    return this.#free > 0;
  }

  /** Resolves with the function that gives the slot back, first come first served. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(busy(this.size, signal));
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#giver());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = this.#waiters.indexOf(wake);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(busy(this.size, signal));
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(this.#giver());
      };
      this.#waiters.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #giver(): () => void {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.#waiters.shift();
      if (next)
        next(); // the slot passes straight to the oldest waiter
      else this.#free++;
    };
  }
}

function busy(size: number, signal: AbortSignal): StoreError {
  const reason: unknown = signal.reason;
  if (reason instanceof StoreError) return reason;
  return new StoreError(
    'STORE_LOCK_TIMEOUT',
    `All ${size} pooled PostgreSQL connections stayed busy for longer than this request could wait; ` +
      'a larger pool (pg.Pool max) serves more users at once.',
    { cause: reason },
  );
}
