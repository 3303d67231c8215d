import { UsageError } from './io.js';

/** One word of a command line: its text with the quotes removed, and whether any of it was quoted. */
export interface Word {
  text: string;
  /** A quoted value is text as typed: `count="3"` stays the string `"3"` where `count=3` is a number. */
  quoted: boolean;
}

/**
 * Splits a command line into words the way a shell does, so `name="two words"`, `"name=two words"`
 * and `a='x y'z` are each one word. A word is a run of unquoted characters and quoted segments,
 * quotes removed. Inside `'...'` every character is literal; inside `"..."` and outside quotes a
 * backslash escapes a quote or a backslash (`\"`, `\'`, `\\`), and any other backslash stays as
 * typed, so values like `C:\temp` need no doubling. An unclosed quote is a `UsageError`.
 */
export function scanWords(line: string): Word[] {
  const words: Word[] = [];
  let text = '';
  let quoted = false;
  let inWord = false;
  let i = 0;
  const finish = () => {
    if (inWord) words.push({ text, quoted });
    text = '';
    quoted = false;
    inWord = false;
  };
  while (i < line.length) {
    const char = line[i]!;
    if (/\s/.test(char)) {
      finish();
      i++;
      continue;
    }
    inWord = true;
    if (char === '"' || char === "'") {
      const end = closingQuote(line, i);
      if (end < 0) throw unclosed(line, i);
      const inner = line.slice(i + 1, end);
      text += char === '"' ? unescape(inner, /\\(["\\])/g) : inner;
      quoted = true;
      i = end + 1;
      continue;
    }
    if (char === '\\' && /["'\\]/.test(line[i + 1] ?? '')) {
      text += line[i + 1];
      i += 2;
      continue;
    }
    text += char;
    i++;
  }
  finish();
  return words;
}

/** `scanWords` without the quoting flags: `/intent Order name="two words"` → `['/intent', 'Order', 'name=two words']`. */
export function splitWords(line: string): string[] {
  return scanWords(line).map((word) => word.text);
}

/** Index of the quote closing the one at `start`, or -1. Only `"..."` honours `\"`. */
function closingQuote(line: string, start: number): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') {
      i++; // skip the escaped character, a quote included
      continue;
    }
    if (line[i] === quote) return i;
  }
  return -1;
}

const unescape = (text: string, pattern: RegExp) => text.replace(pattern, '$1');

function unclosed(line: string, at: number): UsageError {
  const quote = line[at]!;
  const rest = line.slice(at);
  const shown = rest.length > 24 ? `${rest.slice(0, 24)}…` : rest;
  return new UsageError(
    `Unclosed ${quote} in ${shown}: end the quoted text with ${quote}` +
      (quote === '"'
        ? ' (a quote inside it is written \\")'
        : ' (for an apostrophe inside a value, quote the value with ": name="don\'t")'),
  );
}

/**
 * `count=3 name="two words" on=true` → `{ count: 3, name: 'two words', on: true }`. With `typed`,
 * unquoted numbers and booleans become numbers and booleans; a quoted value always stays text.
 */
export function parsePairs(
  words: readonly Word[],
  typed: boolean,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const word of words) {
    const eq = word.text.indexOf('=');
    if (eq <= 0)
      throw new UsageError(
        `Expected name=value, got "${word.text}" (a value with spaces is quoted: name="two words")`,
      );
    const raw = word.text.slice(eq + 1);
    out[word.text.slice(0, eq)] = typed && !word.quoted ? typedValue(raw) : raw;
  }
  return out;
}

function typedValue(raw: string): string | number | boolean {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

/**
 * A word as a POSIX shell reads it back: as is when it holds only characters no shell treats
 * specially, else in single quotes (a `'` inside written `'\''`). For commands printed to be pasted.
 */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
