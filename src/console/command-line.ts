/**
 * Writes simulator command lines (the language of `cekit simulate`, read back by src/cli/words.ts).
 * The browser console builds every action as a line with these helpers, so what the page did is what
 * an exported `--script` file replays. Pure functions: bundled into the page, tested against the reader.
 */

export type CommandValue = string | number | boolean;

/** A text that is one word as typed: no spaces, quotes or backslashes. */
const BARE = /^[^\s"'\\]+$/;
/** Text the reader would type as a number or a boolean when unquoted (in /event and /home). */
const LOOKS_TYPED = /^(true|false|-?\d+(\.\d+)?)$/;

/**
 * One value as a word: numbers and booleans bare (`3`, `true`), text bare when it can be (`light-1`),
 * else double-quoted with `\"` and `\\` escaped (`"two words"`, `"3"` for the text 3).
 */
export function commandWord(value: CommandValue): string {
  if (typeof value !== 'string') return String(value);
  if (BARE.test(value) && !LOOKS_TYPED.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** `name=value` pairs, in the order given; empty strings are left out (an empty form field means "not given"). */
export function commandPairs(pairs: Record<string, CommandValue | undefined>): string {
  return Object.entries(pairs)
    .filter((entry): entry is [string, CommandValue] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => ` ${name}=${commandWord(value)}`)
    .join('');
}

/** `/intent ThrowDiceIntent diceCount=3` (slot values always sent as text, as CEK does). */
export const intentLine = (name: string, slots: Record<string, string | undefined> = {}) =>
  `/intent ${name}${commandPairs(slots)}`;

/** `/event AudioPlayer.PlayStarted token=ep-1 offsetInMilliseconds=0` */
export const eventLine = (name: string, payload: Record<string, CommandValue | undefined> = {}) =>
  `/event ${name}${commandPairs(payload)}`;

/** `/home TurnOn light-1`, `/home SetBrightness light-1 brightness=50` */
export const homeLine = (
  action: string,
  applianceId: string,
  fields: Record<string, CommandValue | undefined> = {},
) => `/home ${action} ${commandWord(applianceId)}${commandPairs(fields)}`;

export const LAUNCH_LINE = '/launch';
export const END_LINE = '/end';
export const DISCOVER_LINE = '/home discover';
