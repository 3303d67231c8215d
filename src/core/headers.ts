/**
 * Header access that works the same for every transport. Adapters pass whatever they have: Node's
 * lower-cased `IncomingHttpHeaders`, a plain object in any case (Lambda, tests), or a WHATWG `Headers`.
 */
export type HeaderValue = string | readonly string[] | undefined;
export type HeaderRecord = Readonly<Record<string, HeaderValue>>;
export interface HeaderGetter {
  get(name: string): string | null;
}
export type HeaderSource = HeaderRecord | HeaderGetter;

function isGetter(source: HeaderSource): source is HeaderGetter {
  return typeof (source as HeaderGetter).get === 'function';
}

/**
 * Looks a header up case-insensitively (RFC 9110 §5.1; the JP guide warns about this explicitly).
 * `name` must be lower case. Returns every value found, so callers can refuse duplicates.
 */
export function readHeader(source: HeaderSource, name: string): HeaderValue {
  if (isGetter(source)) return source.get(name) ?? undefined;
  // Fast path: Node and most adapters already lower-case names, and there a name appears once.
  const direct = source[name];
  let found: string[] | undefined;
  for (const key in source) {
    if (key.length !== name.length || key === name || key.toLowerCase() !== name) continue;
    const value = source[key];
    if (value === undefined) continue;
    (found ??= []).push(...(typeof value === 'string' ? [value] : value));
  }
  if (!found) return direct;
  if (direct !== undefined) found.push(...(typeof direct === 'string' ? [direct] : direct));
  return found.length === 1 ? found[0] : found;
}

/**
 * Reduces a header to one value. Transports join repeated headers with ", " (Node, fetch) or hand
 * over an array; both count as duplicated here. Returns `undefined` when absent or blank.
 */
export function singleHeader(value: HeaderValue): { value: string | undefined; duplicated: boolean } {
  if (value === undefined) return { value: undefined, duplicated: false };
  if (typeof value !== 'string') {
    if (value.length > 1) return { value: undefined, duplicated: true };
    value = value[0] ?? '';
  }
  const trimmed = value.trim();
  return { value: trimmed === '' ? undefined : trimmed, duplicated: false };
}
