import { RejectionError } from './errors.js';

// `ignoreBOM: true` keeps a byte order mark in the text, where JSON.parse refuses it: CEK never sends
// one (RFC 8259 §8.1 forbids adding it), so a BOM means the body did not come from CEK's serialiser.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Deepest nesting a CEK message can reasonably need; real messages stay under 10. */
export const MAX_JSON_DEPTH = 64;

/**
 * Decodes and parses a request body that has already been verified. The checks here protect code
 * that runs after parsing (merges of session attributes, recursive walks), not the parser itself.
 */
export function parseJsonBody(body: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw new RejectionError('INVALID_UTF8');
  }
  // Nesting can only exceed the limit if there are more brackets than the limit: a few native
  // `indexOf` jumps settle that for every real CEK message without walking the text.
  if (!fewerBracketsThan(text, MAX_JSON_DEPTH)) checkDepth(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RejectionError('INVALID_JSON', error instanceof Error ? error.message : undefined);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RejectionError('NOT_AN_OBJECT');
  }
  // `__proto__` as an own key is harmless to JSON.parse but turns into prototype pollution the moment
  // anyone assigns or merges the object. The key is checked after parsing, so every spelling of it
  // (`"\u005f_proto__"` and the like) is caught; the substring tests keep the walk off the hot path:
  // a body can only hold the key spelled out or hidden behind a `\u` escape.
  if ((text.includes('__proto__') || text.includes('\\u')) && hasProtoKey(value))
    throw new RejectionError('JSON_FORBIDDEN_KEY');
  return value as Record<string, unknown>;
}

/**
 * Counts bracket depth outside strings, so a hostile 1 MB of `[[[[` is refused before parsing. String
 * contents (most of a CEK message: IDs, speech) are skipped with a native `indexOf` jump rather than
 * walked character by character.
 */
function checkDepth(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = closingQuote(text, i);
      if (i === -1) return; // unterminated string: JSON.parse refuses it
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_JSON_DEPTH)
        throw new RejectionError('JSON_TOO_DEEP', `The limit is ${MAX_JSON_DEPTH}.`);
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
}

/** True when `text` holds at most `limit` opening brackets (`{` and `[`), inside strings or not. */
function fewerBracketsThan(text: string, limit: number): boolean {
  let count = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++count > limit) return false;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++count > limit) return false;
  return true;
}

/** Index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

function hasProtoKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasProtoKey);
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || hasProtoKey((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
