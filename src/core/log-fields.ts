/** Longest string value a log line carries from a message; CEK's own names are far shorter. */
export const MAX_LOGGED_STRING = 100;

// Control characters, line and paragraph separators and bidirectional overrides: what could forge a
// line or hide text in a log viewer.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Message fields made safe for a log line: strings from a request (an intent name, a header name, an
 * applianceId) are chosen by whoever sent it, so each is capped at {@link MAX_LOGGED_STRING}
 * characters and its unsafe characters written as `\uXXXX` escapes. Other values pass unchanged.
 */
export function safeFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (fields === undefined) return {};
  let safe: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    const cleaned = safeString(value);
    if (cleaned === value) continue;
    safe ??= { ...fields };
    safe[key] = cleaned;
  }
  return safe ?? fields;
}

export function safeString(value: string): string {
  const capped =
    value.length > MAX_LOGGED_STRING
      ? `${value.slice(0, MAX_LOGGED_STRING)}… (${value.length} chars)`
      : value;
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(capped)
    ? capped.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : capped;
}

/** What a redacted value is replaced with in a log line. */
export const REDACTED = '[redacted]';

/**
 * Field names redacted from every log line by default, at any depth. A key matches when, lower-cased
 * and without `-` and `_`, it equals one of these: `accessToken`, `access_token` and `Access-Token`
 * are one name. `token` alone is not on the list: AudioPlayer stream tokens are not credentials.
 */
export const DEFAULT_REDACTED_KEYS: readonly string[] = Object.freeze([
  'accessToken',
  'refreshToken',
  'idToken',
  'authToken',
  'sessionToken',
  'authorization',
  'proxyAuthorization',
  'cookie',
  'setCookie',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'clientSecret',
  'apiKey',
  'xApiKey',
  'privateKey',
]);

/** Nesting followed into a field's value; anything deeper is replaced, so depth cannot hide a key. */
const MAX_DEPTH = 10;
/** Distinct key names whose verdict is remembered (a bound: keys can come from data). */
const CACHE_LIMIT = 1000;

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/**
 * Replaces the values of secret-looking keys (the defaults plus `extra`) by {@link REDACTED}, at any
 * depth, in arrays and in errors' own properties too. Never mutates what it is given: an object is
 * copied only when something in it changes, so the common line (no secret, no nesting) costs one
 * cached lookup per key and no allocation. Cycles become `"[Circular]"`.
 */
export class Redactor {
  readonly keys: ReadonlySet<string>;
  readonly #verdicts = new Map<string, boolean>();

  constructor(extra: readonly string[] = []) {
    this.keys = new Set([...DEFAULT_REDACTED_KEYS, ...extra].map(normalise));
  }

  /** Whether this redactor already redacts every name in `extra`. */
  covers(extra: readonly string[]): boolean {
    return extra.every((key) => this.keys.has(normalise(key)));
  }

  fields(fields: Record<string, unknown>): Record<string, unknown> {
    const clean = this.#object(fields, 0, []) as Record<string | symbol, unknown>;
    // Symbol keys are no log fields, but cekit passes itself information under one (describeError).
    if (clean !== fields)
      for (const key of Object.getOwnPropertySymbols(fields))
        clean[key] = (fields as Record<symbol, unknown>)[key];
    return clean;
  }

  /** Any value, cleaned the same way (an error stays an error). */
  value(value: unknown): unknown {
    return this.#value(value, 0, []);
  }

  #secret(key: string): boolean {
    let verdict = this.#verdicts.get(key);
    if (verdict === undefined) {
      verdict = this.keys.has(normalise(key));
      if (this.#verdicts.size < CACHE_LIMIT) this.#verdicts.set(key, verdict);
    }
    return verdict;
  }

  #value(value: unknown, depth: number, path: object[]): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (path.includes(value)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[too deep]';
    if (Array.isArray(value)) return this.#array(value, depth, path);
    if (value instanceof Map) return this.#map(value, depth, path);
    if (value instanceof Set) {
      const items = [...(value as Set<unknown>)];
      path.push(value);
      const cleaned = this.#array(items, depth, path);
      path.pop();
      return cleaned === items ? value : new Set(cleaned);
    }
    // Dates and binary data are written by their own serialisation; they have no keys to hide.
    if (value instanceof Date || ArrayBuffer.isView(value)) return value;
    return this.#object(value as Record<string, unknown>, depth, path);
  }

  /** A map's string keys are field names too (`console` prints its entries). */
  #map(map: Map<unknown, unknown>, depth: number, path: object[]): Map<unknown, unknown> {
    let changed = false;
    const entries: [unknown, unknown][] = [];
    path.push(map);
    for (const [key, value] of map) {
      const next =
        typeof key === 'string' && value !== undefined && value !== null && this.#secret(key)
          ? REDACTED
          : this.#value(value, depth + 1, path);
      if (next !== value) changed = true;
      entries.push([key, next]);
    }
    path.pop();
    return changed ? new Map(entries) : map;
  }

  #array(array: readonly unknown[], depth: number, path: object[]): readonly unknown[] {
    let copy: unknown[] | undefined;
    path.push(array);
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      const next = this.#value(item, depth + 1, path);
      if (next === item) continue;
      copy ??= array.slice();
      copy[i] = next;
    }
    path.pop();
    return copy ?? array;
  }

  #object(object: Record<string, unknown>, depth: number, path: object[]): object {
    const error = object instanceof Error ? object : undefined;
    const keys = Object.keys(object);
    // An error's cause is its own property but not an enumerable one; loggers print it all the same.
    if (error && error.cause !== undefined && !keys.includes('cause')) keys.push('cause');
    let copy: Record<string, unknown> | undefined;
    path.push(object);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = object[key];
      const next =
        value !== undefined && value !== null && this.#secret(key)
          ? REDACTED
          : this.#value(value, depth + 1, path);
      if (copy === undefined) {
        if (next === value) continue;
        // The first change: copy what came before.
        copy = error ? errorCopy(error) : {};
        for (let j = 0; j < i; j++) assign(copy, keys[j]!, object[keys[j]!], error);
      }
      assign(copy, key, next, error);
    }
    path.pop();
    return copy ?? object;
  }
}

/**
 * A copy of an error that is still one (same prototype, so its class name and `instanceof` hold, and
 * loggers print it as an error): message and stack as on the original, the rest filled in by the caller.
 */
function errorCopy(error: Error): Record<string, unknown> {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Record<string, unknown>;
  const hidden = (value: unknown) => ({ value, enumerable: false, writable: true, configurable: true });
  Object.defineProperties(copy, { message: hidden(error.message), stack: hidden(error.stack) });
  return copy;
}

/**
 * `target[key] = value`, with `__proto__` (a key JSON can carry) kept as a plain property, and an
 * error's own non-enumerable properties (`cause`) left non-enumerable.
 */
function assign(target: Record<string, unknown>, key: string, value: unknown, source?: object): void {
  const enumerable = source === undefined || Object.prototype.propertyIsEnumerable.call(source, key);
  if (key === '__proto__' || !enumerable)
    Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
  else target[key] = value;
}
