import { StoreError } from './errors.js';

/**
 * Mutual exclusion per key inside one process, first come first served. Holders of different keys
 * never wait for each other; a key with no holder and no waiter takes no memory.
 */
export class KeyedLock {
  /** Per held key: the waiters, oldest first. A key is in the map exactly while someone holds it. */
  readonly #queues = new Map<string, Array<() => void>>();

  /** Resolves with the function that lets go, once `key` is free; rejects when `signal` aborts first. */
  acquire(key: string, signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(lockTimeout(signal));
    const queue = this.#queues.get(key);
    if (queue === undefined) {
      this.#queues.set(key, []);
      return Promise.resolve(this.#releaser(key));
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = queue.indexOf(wake);
        if (at >= 0) queue.splice(at, 1);
        reject(lockTimeout(signal));
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(this.#releaser(key));
      };
      queue.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Whether anyone holds `key` (for tests and diagnostics). */
  isHeld(key: string): boolean {
    return this.#queues.has(key);
  }

  #releaser(key: string): () => void {
    let released = false;
    return () => {
      if (released) return; // a second release must not wake a second waiter
      released = true;
      const queue = this.#queues.get(key);
      const next = queue?.shift();
      if (next) next();
      else this.#queues.delete(key);
    };
  }
}

/** The rejection of a wait cut short: the caller's own reason when it gave a StoreError. */
export function lockTimeout(signal: AbortSignal): StoreError {
  const reason: unknown = signal.reason;
  if (reason instanceof StoreError) return reason;
  return new StoreError(
    'STORE_LOCK_TIMEOUT',
    'Another request held this user for longer than this request could wait.',
    { cause: reason },
  );
}
