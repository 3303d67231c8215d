import { KeyedLock } from './keyed-lock.js';
import { recordOf } from './record.js';
import type { UserStore, UserRecord } from './store.js';

/** A plain key-value store of JSON text per user: enough for `keyValueStore()`. */
export interface KeyValueStore {
  get(userId: string): Promise<string | undefined>;
  set(userId: string, json: string): Promise<void>;
  delete(userId: string): Promise<void>;
}

/**
 * A `UserStore` over any key-value store, with the user locked inside this process: concurrent
 * requests for one user in this process never lose an update. Processes sharing the same database
 * do not see each other's locks; for several instances use a store that locks in the database
 * (`redisStore`, `postgresStore`) or implement `open()` with your database's own locking.
 */
export function keyValueStore(store: KeyValueStore): UserStore {
  const lock = new KeyedLock();
  return {
    async open(userId, { signal }): Promise<UserRecord> {
      const release = await lock.acquire(userId, signal);
      let json: string | undefined;
      try {
        json = await store.get(userId);
      } catch (error) {
        release();
        throw error;
      }
      return recordOf(json, {
        async commit(next) {
          try {
            if (next === undefined) await store.delete(userId);
            else await store.set(userId, next);
          } finally {
            release();
          }
        },
        release: async () => release(),
      });
    },
  };
}
