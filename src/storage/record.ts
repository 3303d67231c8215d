import type { UserRecord } from './store.js';

/** The two ways a store ends one request's hold on a user. */
export interface HoldEnds {
  commit(json: string | undefined): Promise<void>;
  release(): Promise<void>;
}

/**
 * A `UserRecord` whose hold ends exactly once, whichever way: a second `commit` is a caller's bug and
 * throws; a `release` after the end does nothing (the contract says it never rejects). Every store
 * builds its records with this, so none has to keep its own "done" flag.
 */
export function recordOf(json: string | undefined, ends: HoldEnds): UserRecord {
  let done = false;
  return {
    json,
    commit(next) {
      if (done)
        return Promise.reject(new Error('cekit: this user record was already committed or released.'));
      done = true;
      return ends.commit(next);
    },
    release() {
      if (done) return Promise.resolve();
      done = true;
      return ends.release();
    },
  };
}
