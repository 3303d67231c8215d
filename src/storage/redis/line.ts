import { lockTimeout } from '../keyed-lock.js';

/** What a request gets when its turn comes: the user already locked for it in Redis, or nothing. */
export type Turn = { readonly token: string; readonly json: string | undefined } | undefined;

/** A request of this process waiting for a user, taken out of the line by the holder that finishes. */
export interface Heir {
  /** When the heir's response budget ends (performance.now() clock): its lease must not outlast it. */
  readonly deadline: number;
  /**
   * Gives the heir its turn: with a `Turn` the user is locked for it already (the holder's commit or
   * release passed the Redis lock on in the same script), without one it takes the lock itself.
   * False when the heir stopped waiting meanwhile: the giver then frees what it passed on.
   */
  give(turn: Turn): boolean;
}

/**
 * The requests of this process for each user, first come first served: the first holds the user,
 * the others wait in line. A holder that finishes takes the next one out of the line and hands it
 * the Redis lock in the same round trip as its own commit, so a queue of requests for one user costs
 * one round trip each, not two. A user with no holder takes no memory.
 */
export class Lines {
  /** Per user held in this process: who waits, oldest first. */
  readonly #lines = new Map<string, Heir[]>();

  /**
   * Resolves once this request may hold `userId`: at once with `undefined` when no request of this
   * process holds it, else when a holder hands over. Rejects with `STORE_LOCK_TIMEOUT` when `signal`
   * aborts while waiting.
   */
  wait(userId: string, signal: AbortSignal, deadline: number): Promise<Turn> {
    if (signal.aborted) return Promise.reject(lockTimeout(signal));
    const line = this.#lines.get(userId);
    if (line === undefined) {
      this.#lines.set(userId, []);
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      const waiter: Heir = {
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

  /** Whether a request of this process holds `userId`. */
  isHeld(userId: string): boolean {
    return this.#lines.has(userId);
  }

  /**
   * The holder of `userId` is finishing: takes the next waiter out of the line (it becomes the
   * holder and must be given its turn), or, with nobody waiting, frees the user in this process.
   */
  next(userId: string): Heir | undefined {
    const line = this.#lines.get(userId);
    const heir = line?.shift();
    if (heir === undefined) this.#lines.delete(userId);
    return heir;
  }
}
