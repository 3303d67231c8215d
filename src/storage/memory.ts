import { withAccess, type StoreAccess } from './access.js';
import { DEFAULT_MAX_BYTES } from './json-text.js';
import { keyValueStore } from './key-value.js';
import type { UserStore } from './store.js';

export interface MemoryStoreOptions {
  /** The longest JSON (UTF-8 bytes) one user's attributes may take. Default 64 KiB. */
  maxBytes?: number;
}

/**
 * Keeps user attributes in this process (tests, prototypes, a single instance). Values are kept as
 * JSON text, so what a handler loads is always a fresh copy, and what one process accepts every
 * other store accepts too. Requests for one user run one after the other: none loses an update.
 */
export function memoryStore<T = Record<string, unknown>>(
  options: MemoryStoreOptions = {},
): UserStore & StoreAccess<T> & { readonly size: number } {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const values = new Map<string, string>();
  const store = keyValueStore({
    get: async (userId) => values.get(userId),
    set: async (userId, json) => void values.set(userId, json),
    delete: async (userId) => void values.delete(userId),
  });
  return withAccess<UserStore & { readonly size: number }, T>(
    Object.defineProperties(store, {
      maxBytes: { value: maxBytes, enumerable: true },
      size: { get: () => values.size, enumerable: true },
    }) as UserStore & { readonly size: number },
    maxBytes,
  );
}
