import { resolveLogger, type Logger } from '../../core/logger.js';
import { DEFAULT_MAX_BYTES } from '../json-text.js';
import { checkClient, type RedisClientLike } from './client.js';

/** The options of `redisStore`, checked and with their defaults. */
export interface RedisSettings {
  readonly client: RedisClientLike;
  readonly prefix: string;
  /** The value's expiry as a script argument: milliseconds, or '0' for none. */
  readonly ttlArg: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly logger: Logger;
}

const DEFAULT_PREFIX = 'cekit:';
const DEFAULT_TIMEOUT_MS = 1000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks what `redisStore` was given, so a mistake fails at start-up rather than at the first request. */
export function redisSettings(options: unknown): RedisSettings {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('redisStore: expected an options object, e.g. redisStore({ client }).');
  const given = options as Partial<Record<string, unknown>>;
  checkClient(given.client);
  const prefix = given.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || /[{}]/.test(prefix))
    // Keys carry the user id in a {hash tag}: a brace in the prefix would move it to another slot.
    throw new TypeError('redisStore: `prefix` must be a string without `{` or `}` (default "cekit:").');
  const ttlSeconds = given.ttlSeconds;
  if (
    ttlSeconds !== undefined &&
    !(isPositive(ttlSeconds) && ttlSeconds * 1000 >= 1 && Number.isSafeInteger(Math.round(ttlSeconds * 1000)))
  )
    throw new TypeError(
      `redisStore: \`ttlSeconds\` must be a positive number of seconds (or left out: never expire); got ${String(ttlSeconds)}.`,
    );
  const timeoutMs = given.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // setTimeout fires at once for delays past 2^31 - 1 ms.
  if (!isPositive(timeoutMs) || timeoutMs > MAX_TIMER_MS)
    throw new TypeError(
      `redisStore: \`timeoutMs\` must be a positive number of milliseconds; got ${String(timeoutMs)}.`,
    );
  const maxBytes = given.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!isPositive(maxBytes))
    throw new TypeError(`redisStore: \`maxBytes\` must be a positive number; got ${String(maxBytes)}.`);
  if (given.logger !== undefined && !isLogger(given.logger))
    throw new TypeError('redisStore: `logger` must have debug, info, warn and error methods.');
  const logger = resolveLogger(given.logger);
  return {
    client: given.client,
    prefix,
    ttlArg: ttlSeconds === undefined ? '0' : String(Math.round(ttlSeconds * 1000)),
    timeoutMs,
    maxBytes,
    logger,
  };
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function isLogger(value: unknown): value is Logger {
  const logger = value as Partial<Record<string, unknown>> | null;
  return (
    typeof logger === 'object' &&
    logger !== null &&
    ['debug', 'info', 'warn', 'error'].every((level) => typeof logger[level] === 'function')
  );
}
