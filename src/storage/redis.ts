import { describeError, type Logger } from '../core/logger.js';
import { withAccess, type StoreAccess } from './access.js';
import { Availability } from './availability.js';
import { StoreError } from './errors.js';
import { retryUntil } from './poll.js';
import { RedisConnection, type Attempt, type RedisClientLike } from './redis/client.js';
import { redisSettings } from './redis/options.js';
import { ACQUIRE, COMMIT, RELEASE, runScript, sendScript, type Script } from './redis/scripts.js';
import { newToken } from './redis/token.js';
import { recordOf } from './record.js';
import type { UserRecord, UserStore } from './store.js';
import { WaitingLines, type Heir } from './waiting-line.js';

export type { IoRedisClientLike, NodeRedisClientLike, RedisClientLike } from './redis/client.js';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * A node-redis client (`createClient()` from `redis`, v4 or later; call `connect()`) or an ioredis
   * client (`new Redis()`). The store only sends commands on it: you open and close it. For Redis
   * Cluster pass an ioredis `Cluster`; node-redis's `createCluster()` is not supported.
   */
  client: RedisClientLike;
  /** Prepended to every key the store writes (no `{` or `}`). Default `'cekit:'`. */
  prefix?: string;
  /**
   * A user's attributes expire this long after their last use (a request that loads or saves them).
   * Default: they never expire.
   */
  ttlSeconds?: number;
  /**
   * The longest one Redis round trip may take (ms); past it the request gets `STORE_UNAVAILABLE` (the
   * error fallback unless the handler catches it). Default 1000.
   */
  timeoutMs?: number;
  /** The longest JSON (UTF-8 bytes) one user's attributes may take. Default 64 KiB. */
  maxBytes?: number;
  /** Where outages (one warning each, one info line on recovery) are reported. Default `consoleLogger()`. */
  logger?: Logger;
}

/**
 * Keeps user attributes in Redis, shared by every process (instance, container, Lambda) using the same
 * server: requests for one user run one after the other across all of them, so none loses an update.
 *
 * Keys: the JSON is at `<prefix>user:{<userId>}`, the user's lock at `<prefix>lock:{<userId>}`. The
 * braces keep a user's two keys in one Redis Cluster slot; user ids are stored as given, never parsed.
 *
 * Guarantees, and their limits:
 * - A request holds the user through a lock whose lease is the request's remaining response budget:
 *   a process that crashed while holding a user blocks that user for at most that long.
 * - A save is all or nothing: the new JSON is written and the lock freed in one atomic script. A save
 *   after the lease expired is refused with `STORE_LOCK_LOST` and writes nothing: never a silent
 *   overwrite of what the next holder wrote.
 * - A save whose reply did not come within `timeoutMs` (the request gets the error fallback) may or may
 *   not have been applied, but never partly. Commands go out only on a ready connection (never into
 *   the driver's offline queue), so a save given up on while reconnecting is not applied later.
 * - Each round trip is bounded by `timeoutMs`. While Redis is down or refuses the client, requests that
 *   load attributes fail at once with `STORE_UNAVAILABLE` (one request at a time checks whether it is
 *   back); the outage is logged once as a warning, the recovery once as info. Requests that never call
 *   `ctx.user.load()` are not affected.
 * - Cost: one round trip to load (lock and read together), one to save (write and unlock together).
 *   A request that waited behind another of the same process for the user gets it within that one's
 *   save, with no round trip of its own. Within a process requests for a user are served first come
 *   first served; across processes there is no queue order: a waiting process polls (every 1 to 20
 *   ms) until the holder lets go.
 * - Meant for a standalone Redis (or one primary). Cluster works key by key but is not tested; after a
 *   Sentinel or replica failover a lock not yet replicated can be lost, as with any Redis lock.
 *
 * The store attaches an `'error'` listener to `client`: node-redis ends the process on an `'error'`
 * event nobody listens to, and the listener turns a lost connection into one outage warning.
 *
 * @example
 * ```ts
 * import { createExtension } from 'cekit';
 * import { redisStore } from 'cekit/redis';
 *
 * // createClient from the `redis` package (v4 or later), or `new Redis(url)` from `ioredis`
 * const client = createClient({ url: process.env.REDIS_URL });
 * await client.connect();
 * const app = createExtension({ extensionId, storage: redisStore({ client, ttlSeconds: 30 * 24 * 3600 }) });
 * ```
 */
export function redisStore<T = Record<string, unknown>>(
  options: RedisStoreOptions,
): UserStore & StoreAccess<T> {
  const { client, prefix, ttlArg, timeoutMs, maxBytes, logger } = redisSettings(options);
  const connection = new RedisConnection(client);
  const availability = new Availability('redisStore', logger, timeoutMs);
  connection.onError((error) => availability.failed(error));
  const lines = new WaitingLines<Turn>();

  /**
   * One script run within `timeoutMs`. When it went out but its answer did not come in time, `undo`
   * is sent right behind it (one connection runs its commands in order).
   */
  const roundTrip = (
    which: Script,
    keys: readonly [string, string],
    args: string[],
    attempt: Attempt,
    undo?: () => void,
  ): Promise<unknown> =>
    availability.run(
      () => runScript(connection, which, keys, args, attempt),
      () => {
        attempt.abandoned = true;
        attempt.cancel?.();
        if (attempt.sent) undo?.();
      },
    );

  /**
   * Frees `token`'s lock, ready or not: the driver queues it behind what was sent before and sends it
   * once connected. Never rejects; if it is lost, the lease ends the hold anyway.
   */
  const letGo = (keys: readonly [string, string], token: string): Promise<void> =>
    sendScript(connection, RELEASE, keys, [token, '', '0', '0']).then(
      () => undefined,
      (error: unknown) => {
        logger.debug(
          'cekit: redisStore could not free a user lock; it expires with its lease',
          describeError(error),
        );
      },
    );

  /** Takes the Redis lock if free, reading the value in the same round trip; undefined when taken. */
  const acquire = async (
    keys: readonly [string, string],
    token: string,
    deadline: number,
  ): Promise<string | null | undefined> => {
    const attempt: Attempt = { abandoned: false, sent: false };
    const undo = () => void letGo(keys, token);
    try {
      const reply = await roundTrip(ACQUIRE, keys, [token, leaseUntil(deadline), ttlArg], attempt, undo);
      return reply === 0 ? undefined : valueOf(reply);
    } catch (error) {
      // Sent, then the connection failed: the lock may be ours. (A timeout already sent the undo.)
      if (attempt.sent && !attempt.abandoned) undo();
      throw error;
    }
  };

  /** Gives `heir` its turn; one that stopped waiting passes it on, and the lock it was handed is freed. */
  const handOn = (
    userId: string,
    keys: readonly [string, string],
    heir: Heir<Turn> | undefined,
    turn: Turn | undefined,
  ) => lines.pass(userId, heir, turn, (refused) => void letGo(keys, refused.token));

  const store: UserStore = {
    maxBytes,
    async open(userId, { signal, holdMs }): Promise<UserRecord> {
      const deadline = performance.now() + holdMs;
      const keys = [`${prefix}user:{${userId}}`, `${prefix}lock:{${userId}}`] as const;
      // One request per user and process contends in Redis; the others wait here, first come first served.
      const queued = lines.isHeld(userId);
      const turn = await lines.wait(userId, signal, deadline);
      if (turn !== undefined) return record(userId, keys, turn.token, turn.json); // handed over, locked
      try {
        // A request that queued behind a failed one would each wait timeoutMs in turn: fail it at once.
        if (queued && availability.isDown) throw availability.unavailable();
        const token = newToken();
        const stored = await retryUntil(() => acquire(keys, token, deadline), signal);
        return record(userId, keys, token, stored ?? undefined);
      } catch (error) {
        handOn(userId, keys, lines.next(userId), undefined);
        throw error;
      }
    },
  };

  function record(
    userId: string,
    keys: readonly [string, string],
    token: string,
    json: string | undefined,
  ): UserRecord {
    return recordOf(json, {
      async commit(next) {
        // The next request of this process for the user gets the lock from this same script.
        const heir = lines.next(userId);
        const heirToken = heir === undefined ? '' : newToken();
        const args = [token, ttlArg, heirToken, heir === undefined ? '0' : leaseUntil(heir.deadline)];
        if (next !== undefined) args.push(next);
        const attempt: Attempt = { abandoned: false, sent: false };
        let reply: unknown;
        try {
          reply = await roundTrip(COMMIT, keys, args, attempt);
        } catch (error) {
          // Applied or not, free the lock (ours, or the heir's if it was applied) rather than leave
          // the user blocked until the lease ends; the heir then takes the lock itself.
          void letGo(keys, token);
          if (heir !== undefined && attempt.sent) void letGo(keys, heirToken);
          handOn(userId, keys, heir, undefined);
          throw error;
        }
        if (reply !== 1) {
          handOn(userId, keys, heir, undefined);
          throw new StoreError(
            'STORE_LOCK_LOST',
            'The hold on this user expired before the save (the request outlived its budget); nothing was written.',
          );
        }
        handOn(userId, keys, heir, heir === undefined ? undefined : { token: heirToken, json: next });
      },
      async release() {
        const heir = lines.next(userId);
        if (heir === undefined) {
          // Resolves once Redis freed it (for other processes), or after timeoutMs when it is down.
          return settledWithin(letGo(keys, token), timeoutMs);
        }
        const heirToken = newToken();
        const args = [token, heirToken, leaseUntil(heir.deadline), ttlArg];
        let passed = false;
        try {
          passed = (await roundTrip(RELEASE, keys, args, { abandoned: false, sent: false })) === 1;
        } catch (error) {
          logger.debug('cekit: redisStore could not pass a user lock on', describeError(error));
          void letGo(keys, token);
          void letGo(keys, heirToken);
        }
        handOn(userId, keys, heir, passed ? { token: heirToken, json } : undefined);
      },
    });
  }

  return withAccess<UserStore, T>(store, maxBytes);
}

/** What a holder hands the next request of its process: the Redis lock, already taken for it, and the JSON. */
type Turn = { readonly token: string; readonly json: string | undefined };

/** A lease (ms, as a script argument) that ends at `deadline`, at least 1 ms. */
function leaseUntil(deadline: number): string {
  return String(Math.max(1, Math.ceil(deadline - performance.now())));
}

/** The value an ACQUIRE reply carries ({1, value}); null when nothing is stored. */
function valueOf(reply: unknown): string | null {
  const value = (reply as unknown[])[1];
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value); // a client set to return Buffers
}

/** Waits for `promise` (which never rejects), at most `ms`. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
