/**
 * Where persistent user attributes live, keyed by CLOVA user id (`context.System.user.userId`).
 *
 * One method: `open()` gives a request exclusive use of one user's stored JSON until it commits or
 * releases, so two requests for the same user (an audio progress report beside an intent, a retry,
 * two devices of one account) run one after the other and neither change is lost. A store shared by
 * several processes must make that exclusion hold across them (`redisStore`, `postgresStore`); one
 * built with `keyValueStore({ get, set, delete })` makes it hold inside one process.
 *
 * Stores keep JSON text: cekit parses, checks and serialises values itself, so every store refuses
 * the same values (not JSON, over the size limit) before anything is written.
 */
export interface UserStore {
  /**
   * Waits until no other holder (in this process, or any process sharing the database) has `userId`,
   * then takes it and reads its JSON. Rejects with a `StoreError`: `STORE_LOCK_TIMEOUT` when
   * `options.signal` aborts before the user is free, `STORE_UNAVAILABLE` when the database cannot
   * answer in time.
   */
  open(userId: string, options: OpenOptions): Promise<UserRecord>;
  /** The longest JSON (UTF-8 bytes) a user's attributes may take; larger values are refused unwritten. Default 64 KiB. */
  readonly maxBytes?: number;
}

export interface OpenOptions {
  /** Aborts when the request can wait no longer: stop waiting and leave the user untaken. */
  readonly signal: AbortSignal;
  /**
   * The longest this request keeps the user (ms): the rest of its response budget. A store shared
   * across processes makes a holder that vanished (a crashed process) let go after this long.
   */
  readonly holdMs: number;
}

/** One request's hold on one user. Exactly one of `commit` or `release` ends it. */
export interface UserRecord {
  /** The stored JSON text, or undefined when nothing is stored for the user. */
  readonly json: string | undefined;
  /**
   * Replaces the stored JSON (`undefined` deletes it) and lets go of the user. All or nothing: on a
   * rejection nothing was written. Rejects with `STORE_LOCK_LOST` when the hold had expired (another
   * request may have the user now), never overwriting what that request wrote.
   */
  commit(json: string | undefined): Promise<void>;
  /**
   * Lets go of the user without writing. Never rejects. After the hold expired it does nothing: it
   * must never end another request's hold on the same user.
   */
  release(): Promise<void>;
}
