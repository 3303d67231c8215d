import { lockTimeout } from './errors.js';

/** A request of this process waiting for a key, taken out of the line by the holder that finishes. */
export interface Heir<T> {
  /** When the heir's response budget ends (performance.now() clock): what it is handed must not outlast it. */
  readonly deadline: number;
  /**
   * Gives the heir its turn, with what the holder hands over (Redis: the lock, already taken for it)
   * or nothing. False when the heir stopped waiting meanwhile: the giver then undoes the hand-over.
   */
  give(turn: T | undefined): boolean;
}

/**
 * The requests of this process for each key, first come first served: the first holds the key, the
 * others wait in line. A holder that finishes takes the next one out of the line and may hand it
 * something (the Redis store hands over its lock, so a queue of requests for one user costs one round
 * trip each). A key with no holder takes no memory.
 */
export class WaitingLines<T> {
  /** Per key held in this process: who waits, oldest first. */
  readonly #lines = new Map<string, Heir<T>[]>();

  /**
   * Resolves once this request may hold `key`: at once with `undefined` when no request of this
   * process holds it, else with what the holder handed over when it finishes. Rejects with
   * `STORE_LOCK_TIMEOUT` when `signal` aborts while waiting.
   */
  wait(key: string, signal: AbortSignal, deadline = Infinity): Promise<T | undefined> {
    if (signal.aborted) return Promise.reject(lockTimeout(signal));
    const line = this.#lines.get(key);
    if (line === undefined) {
      this.#lines.set(key, []);
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      const waiter: Heir<T> = {
        deadline,
        give(turn) {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) {
            reject(lockTimeout(signal));
            return false;
          }
          resolve(turn);
          return true;
        },
      };
      const onAbort = () => {
        const at = line.indexOf(waiter);
        if (at >= 0) line.splice(at, 1);
        reject(lockTimeout(signal));
      };
      line.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Whether a request of this process holds `key`. */
  isHeld(key: string): boolean {
    return this.#lines.has(key);
  }

  /**
   * The holder of `key` is finishing: takes the next waiter out of the line (it becomes the holder
   * and must be given its turn with `pass`), or, with nobody waiting, frees the key in this process.
   */
  next(key: string): Heir<T> | undefined {
    const line = this.#lines.get(key);
    const heir = line?.shift();
    if (heir === undefined) this.#lines.delete(key);
    return heir;
  }

  /**
   * Gives `heir` its turn. An heir that stopped waiting passes it on to the next in line, with nothing
   * handed over: `refused` undoes what it was offered.
   */
  pass(key: string, heir: Heir<T> | undefined, turn: T | undefined, refused?: (turn: T) => void): void {
    while (heir !== undefined && !heir.give(turn)) {
      if (turn !== undefined) refused?.(turn);
      turn = undefined;
      heir = this.next(key);
    }
  }
}
