import { UsageError } from './io.js';

/** Splits a command line on spaces, keeping "quoted words" together. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}

/** `count=3 name="two words" on=true` → `{ count: 3, name: 'two words', on: true }` (numbers/booleans typed when asked). */
export function parsePairs(
  words: readonly string[],
  typed: boolean,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new UsageError(`Expected name=value, got "${word}"`);
    const raw = word.slice(eq + 1);
    out[word.slice(0, eq)] = typed ? typedValue(raw) : raw;
  }
  return out;
}

function typedValue(raw: string): string | number | boolean {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}
