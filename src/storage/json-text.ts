import { StoreError } from './errors.js';

/** Default `maxBytes` of every built-in store: 64 KiB of UTF-8 JSON per user. */
export const DEFAULT_MAX_BYTES = 64 * 1024;

/**
 * The JSON text of a user's attributes, or a `StoreError` saying which part cannot be stored. Only
 * what survives a JSON round trip unchanged is accepted: plain objects, arrays, strings, finite
 * numbers, booleans and null. `JSON.stringify` alone would silently drop functions and `undefined`
 * array items, turn a Date into a string and a Map into `{}`: the next request would read something
 * else than the handler stored.
 */
export function toStoredJson(value: unknown, maxBytes: number): string {
  checkStorable(value);
  const json = JSON.stringify(value);
  checkSize(json, maxBytes);
  return json;
}

/** Throws `STORE_VALUE_INVALID` naming the first part of `value` that JSON would not keep as it is. */
export function checkStorable(value: unknown): void {
  checkJsonValue(value, '$', new Set());
}

/** Throws `STORE_VALUE_TOO_LARGE` when `json` is longer than `maxBytes` in UTF-8. */
export function checkSize(json: string, maxBytes: number): void {
  // UTF-16 length bounds the UTF-8 length from below (x1) and above (x3): measure only when it matters.
  if (json.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > maxBytes)
      throw new StoreError(
        'STORE_VALUE_TOO_LARGE',
        `User attributes are ${bytes} bytes of JSON, over the store's limit of ${maxBytes} (maxBytes); nothing was written.`,
      );
  }
}

function checkJsonValue(value: unknown, path: string, parents: Set<object>): void {
  switch (typeof value) {
    case 'string':
      return checkText(value, path);
    case 'boolean':
      return;
    case 'number':
      if (Number.isFinite(value)) return;
      return refuse(path, `${value} (JSON has no NaN or Infinity)`);
    case 'object': {
      if (value === null) return;
      if (parents.has(value)) return refuse(path, 'a reference back to an enclosing object (a cycle)');
      if (Array.isArray(value)) {
        parents.add(value);
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return refuse(`${path}[${i}]`, 'a hole in a sparse array');
          checkJsonValue(value[i], `${path}[${i}]`, parents);
        }
        parents.delete(value);
        return;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        return refuse(path, `a ${describeClass(value)} (store plain objects; a Date as toISOString())`);
      parents.add(value);
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        const at = `${path}.${key}`;
        checkText(key, `the key of ${at}`);
        // An undefined property is how "unset" is written in JavaScript: JSON leaves it out, which reads back the same.
        if (item !== undefined) checkJsonValue(item, at, parents);
      }
      parents.delete(value);
      return;
    }
    default:
      return refuse(path, `a ${typeof value}`);
  }
}

/**
 * PostgreSQL's JSONB cannot hold U+0000 or a lone surrogate (half an emoji cut in two), so no store
 * accepts them: what one store keeps, every store keeps.
 */
// In a `u` regex, a surrogate pair is one code point: only a lone surrogate matches \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;

function checkText(text: string, path: string): void {
  if (text.includes('\u0000')) refuse(path, 'a string with the character U+0000');
  if (LONE_SURROGATE.test(text)) refuse(path, 'a string with a lone surrogate (half of a UTF-16 pair)');
}

function describeClass(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'class instance';
}

function refuse(path: string, what: string): never {
  throw new StoreError(
    'STORE_VALUE_INVALID',
    `User attributes cannot be stored as JSON: ${path} is ${what}; nothing was written.`,
  );
}

/** Parses stored JSON; anything but an object is refused (never silently replaced by `{}`). */
export function fromStoredJson(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // JSON.parse's message quotes the content, which may be personal data: say only what is wrong.
    throw new StoreError('STORE_VALUE_CORRUPT', 'The stored user attributes are not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StoreError('STORE_VALUE_CORRUPT', 'The stored user attributes are not a JSON object.');
  return value as Record<string, unknown>;
}
