import { WaitingLines } from './waiting-line.js';

/**
 * Mutual exclusion per key inside one process, first come first served: a line of waiters per key
 * with nothing handed from one holder to the next. Holders of different keys never wait for each
 * other; a key with no holder and no waiter takes no memory.
 */
export class KeyedLock {
  readonly #lines = new WaitingLines<never>();

  /** Resolves with the function that lets go, once `key` is free; rejects when `signal` aborts first. */
  acquire(key: string, signal: AbortSignal): Promise<() => void> {
    return this.#lines.wait(key, signal).then(() => {
      let released = false;
      return () => {
        if (released) return; // a second release must not wake a second waiter
        released = true;
        this.#lines.pass(key, this.#lines.next(key), undefined);
      };
    });
  }

  /** Whether anyone holds `key` (for tests and diagnostics). */
  isHeld(key: string): boolean {
    return this.#lines.isHeld(key);
  }
}
