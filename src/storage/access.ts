import { fromStoredJson, toStoredJson } from './json-text.js';
import type { UserStore } from './store.js';

/**
 * Reading and writing one user's attributes outside a request: scripts, admin tasks, tests. Each call
 * takes the user's lock like a request does, so it never interleaves with one.
 */
export interface StoreAccess<T> {
  /** The user's stored attributes, or undefined when none are stored. */
  get(userId: string): Promise<T | undefined>;
  /** Replaces the user's attributes (checked like a request's: JSON only, within `maxBytes`). */
  set(userId: string, value: T): Promise<void>;
  /** Removes the user's attributes. */
  delete(userId: string): Promise<void>;
}

/** How long a direct call waits for the user before giving up (ms). */
const WAIT_MS = 10_000;

/** `get`/`set`/`delete` over a store's `open()`, added to every built-in store. */
export function withAccess<S extends UserStore, T>(store: S, maxBytes: number): S & StoreAccess<T> {
  const open = (userId: string) =>
    store.open(userId, { signal: AbortSignal.timeout(WAIT_MS), holdMs: WAIT_MS });
  const access: StoreAccess<T> = {
    async get(userId) {
      const record = await open(userId);
      await record.release();
      return record.json === undefined ? undefined : (fromStoredJson(record.json) as T);
    },
    async set(userId, value) {
      const json = toStoredJson(value, maxBytes); // refused before the user is even taken
      await (await open(userId)).commit(json);
    },
    async delete(userId) {
      await (await open(userId)).commit(undefined);
    },
  };
  return Object.assign(store, access);
}
