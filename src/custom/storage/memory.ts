import type { UserStore } from './store.js';

/**
 * Keeps user attributes in this process (tests, prototypes). Values are copied in and out, so a
 * handler mutating what it loaded never changes the stored value behind the framework's back.
 */
export function memoryStore<T = Record<string, unknown>>(): UserStore<T> & { readonly size: number } {
  const values = new Map<string, T>();
  return {
    get: async (userId) => {
      const value = values.get(userId);
      return value === undefined ? undefined : structuredClone(value);
    },
    set: async (userId, value) => {
      values.set(userId, structuredClone(value));
    },
    delete: async (userId) => {
      values.delete(userId);
    },
    get size() {
      return values.size;
    },
  };
}
