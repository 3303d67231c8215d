import { createHash } from 'node:crypto';
import type { Attempt, RedisConnection } from './client.js';

/**
 * The three Lua scripts behind `redisStore`. Each takes KEYS[1] = the user's value key and KEYS[2] =
 * the user's lock key, and runs atomically in Redis: no other command sees a half-done step.
 */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Takes the lock if free (ARGV[1] = token, ARGV[2] = lease in ms) and, in the same round trip, reads
 * the value and restarts its expiry (ARGV[3] = ttl in ms, '0' for none). Returns 0 when another
 * holder has the lock, else {1, value} (value nil when nothing is stored).
 */
export const ACQUIRE = script(`
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if ARGV[3] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, redis.call('GET', KEYS[1])}
`);

/**
 * Only while the lock still holds our token (ARGV[1]): writes ARGV[5] with the ttl ARGV[2] ('0' for
 * none), or deletes the value when there is no ARGV[5]; then passes the lock to the heir's token
 * ARGV[3] for ARGV[4] ms, or frees it when there is no heir (''). Returns 1 when written, 0 (nothing
 * written, nothing passed on) when the lease had expired.
 */
export const COMMIT = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
if ARGV[5] == nil then
  redis.call('DEL', KEYS[1])
elseif ARGV[2] == '0' then
  redis.call('SET', KEYS[1], ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[2])
end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[2])
else
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
end
return 1
`);

/**
 * Only while the lock holds our token (ARGV[1]): passes it to the heir's token ARGV[2] for ARGV[3]
 * ms, restarting the value's expiry (ARGV[4] ms, '0' for none) as the heir's load; or frees it when
 * there is no heir (''). Never touches another holder's lock. Returns 1 when done, else 0.
 */
export const RELEASE = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
else
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  if ARGV[4] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
end
return 1
`);

/**
 * Runs `which` by hash (EVALSHA: the script text crosses the network once per server), loading it
 * with EVAL when the server does not know it: a new or restarted server, or after SCRIPT FLUSH.
 */
export async function runScript(
  connection: RedisConnection,
  which: Script,
  keys: readonly [string, string],
  args: string[],
  attempt: Attempt,
): Promise<unknown> {
  try {
    return await connection.sendWhenReady(['EVALSHA', which.sha, '2', keys[0], keys[1], ...args], attempt);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return connection.sendWhenReady(['EVAL', which.source, '2', keys[0], keys[1], ...args], attempt);
  }
}

/** Sends `which` at once, ready or not: for undo steps that must queue behind what they undo. */
export function sendScript(
  connection: RedisConnection,
  which: Script,
  keys: readonly [string, string],
  args: string[],
): Promise<unknown> {
  const evalsha = ['EVALSHA', which.sha, '2', keys[0], keys[1], ...args];
  return connection.send(evalsha).catch((error: unknown) => {
    if (!isNoScript(error)) throw error;
    return connection.send(['EVAL', which.source, '2', keys[0], keys[1], ...args]);
  });
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
