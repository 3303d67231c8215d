/**
 * The module `cekit types` writes from an interaction model: `export const model = defineModel({...})`
 * with each intent's slots and each custom slot type's representative words, so that
 * `createExtension({ model })` types intent names and `ctx.slots`. Pure: a model in, file texts out.
 * @module
 */
import type { InteractionModel, IntentModel } from '../testing/index.js';
import { shellQuote } from './words.js';

/** The languages the module can be written in, chosen by the output file's extension. */
export type ModuleFormat = 'ts' | 'esm' | 'cjs';

export interface ModelModuleOptions {
  /** The model as the regenerating command names it (`models/interaction-model.json`), for the header. */
  source: string;
  /** The file as the command names it (`src/model.ts`); its extension picks the format. Default `model.ts`. */
  out?: string;
}

export interface GeneratedFile {
  /** `options.out`, or the declaration file beside it (`model.d.ts` for `model.js`). */
  path: string;
  text: string;
}

/** The layout prettier gives with this repository's settings, so the file needs no reformatting. */
const PRINT_WIDTH = 110;
const INDENT = '  ';
/** Samples shown in an intent's doc comment: enough to tell what it is for. */
const SAMPLES_SHOWN = 3;

/**
 * The format of `path` by its extension, or why it cannot be one. `.cts` is refused: under
 * `verbatimModuleSyntax` (cekit init's setting) a CommonJS TypeScript file cannot use `export const`,
 * and `export =` cannot carry the `Model` type beside the value; `.cjs` with its `.d.cts` can.
 */
export function moduleFormatOf(path: string): { format: ModuleFormat } | { problem: string } {
  if (/\.d\.[cm]?ts$/.test(path))
    return {
      problem: `${path} is a declaration file: name the module itself (src/model.ts, or model.js for its .d.ts too)`,
    };
  if (/\.m?ts$/.test(path)) return { format: 'ts' };
  if (/\.m?js$/.test(path)) return { format: 'esm' };
  if (path.endsWith('.cjs')) return { format: 'cjs' };
  if (path.endsWith('.cts'))
    return {
      problem:
        `${path}: a .cts module cannot export both the model and its type under verbatimModuleSyntax; ` +
        'write a .ts module (TypeScript compiles it to CommonJS in a CommonJS project) or a .cjs one (with its .d.cts)',
    };
  return { problem: `${path}: the module is written as .ts, .mts, .js, .mjs or .cjs` };
}

/** `model.js` → `model.d.ts`, `model.mjs` → `model.d.mts`, `model.cjs` → `model.d.cts`. */
export function declarationPathOf(path: string): string {
  return path.replace(/\.(m|c)?js$/, (_, kind: string | undefined) => `.d.${kind ?? ''}ts`);
}

/**
 * The files of the module for `model`: the module, plus a declaration file beside a JavaScript one
 * holding the exact literal types `defineModel()` infers in TypeScript. Deterministic: intents, slots
 * and slot types sorted; representative words in model order (synonyms are left out: CEK sends the
 * representative word, spec custom-extension.md §3).
 */
export function generateModelModule(model: InteractionModel, options: ModelModuleOptions): GeneratedFile[] {
  const out = options.out ?? 'model.ts';
  const kind = moduleFormatOf(out);
  if ('problem' in kind) throw new TypeError(kind.problem);
  const header = headerOf(options.source, options.out);
  const intents = [...model.intents].sort((a, b) => compare(a.name, b.name));
  const slotTypes = Object.keys(model.slotTypes)
    .sort(compare)
    .map((name) => ({ name, words: [...new Set(model.slotTypes[name]!.map((entry) => entry.value))] }));

  const value = valueOf(intents, slotTypes);
  if (kind.format === 'ts')
    return [
      {
        path: out,
        text: `${header}import { defineModel } from 'cekit';\n\nexport const model = defineModel(${value});\n\nexport type Model = typeof model;\n`,
      },
    ];
  const declaration = {
    path: declarationPathOf(out),
    text: `${header}export declare const model: ${typeOf(intents, slotTypes)};\n\nexport type Model = typeof model;\n`,
  };
  const module =
    kind.format === 'esm'
      ? `${header}import { defineModel } from 'cekit';\n\nexport const model = defineModel(${value});\n`
      : `${header}const { defineModel } = require('cekit');\n\nexports.model = defineModel(${value});\n`;
  return [{ path: out, text: module }, declaration];
}

/** What the summary line says: `3 intents, 1 slot type`. */
export function describeModel(model: InteractionModel): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return `${count(model.intents.length, 'intent')}, ${count(Object.keys(model.slotTypes).length, 'slot type')}`;
}

/** The command that writes `out` from `source`, as the header and `--check` tell it. */
export function regenerateCommand(source: string, out: string | undefined): string {
  return `npx cekit types ${shellQuote(source)} --out ${out === undefined ? '<file>' : shellQuote(out)}`;
}

function headerOf(source: string, out: string | undefined): string {
  // Line comments: only a line break in a path could end them, and paths are flattened to one line.
  return (
    `// Generated by \`cekit types\` from ${oneLine(source)}. Do not edit: change the model, then run\n` +
    `//   ${oneLine(regenerateCommand(source, out))}\n`
  );
}

interface SlotTypeWords {
  name: string;
  words: string[];
}

/** The `defineModel()` argument, laid out as prettier would. */
function valueOf(intents: IntentModel[], slotTypes: SlotTypeWords[]): string {
  const pad = INDENT.repeat(2);
  const intentLines = intents.map((intent) => {
    const slots = Object.keys(intent.slots)
      .sort(compare)
      .map((slot) => `${key(slot)}: ${quote(intent.slots[slot]!)}`);
    return `${docOf(intent, pad)}${pad}${key(intent.name)}: ${group(pad, `${key(intent.name)}: `, '{', '}', slots, ', ', ',')},\n`;
  });
  const typeLines = slotTypes.map(
    ({ name, words }) =>
      `${pad}${key(name)}: ${group(pad, `${key(name)}: `, '[', ']', words.map(quote), ', ', ',')},\n`,
  );
  return (
    `{\n${INDENT}intents: ${block(intentLines)},\n` +
    (slotTypes.length > 0 ? `${INDENT}slotTypes: ${block(typeLines)},\n` : '') +
    `}`
  );
}

/** The type `defineModel()` infers for the same argument (a `const` type parameter: readonly, literal). */
function typeOf(intents: IntentModel[], slotTypes: SlotTypeWords[]): string {
  const pad = INDENT.repeat(2);
  const intentLines = intents.map((intent) => {
    const slots = Object.keys(intent.slots)
      .sort(compare)
      .map((slot) => `readonly ${key(slot)}: ${quote(intent.slots[slot]!)}`);
    const name = `readonly ${key(intent.name)}: `;
    return `${docOf(intent, pad)}${pad}${name}${group(pad, name, '{', '}', slots, '; ', ';')};\n`;
  });
  const typeLines = slotTypes.map(({ name, words }) => {
    const prefix = `readonly ${key(name)}: readonly `;
    return `${pad}${prefix}${group(pad, prefix, '[', ']', words.map(quote), ', ', ',')};\n`;
  });
  return (
    `{\n${INDENT}readonly intents: ${block(intentLines)};\n` +
    (slotTypes.length > 0 ? `${INDENT}readonly slotTypes: ${block(typeLines)};\n` : '') +
    `}`
  );
}

/** An object of one entry per line; an empty one stays `{}`. */
function block(lines: string[]): string {
  return lines.length === 0 ? '{}' : `{\n${lines.join('')}${INDENT}}`;
}

/**
 * `{ a: 1, b: 2 }` on the line when it fits in the print width, else one item per line with a
 * trailing separator: what prettier does with an object, type literal or array of strings.
 */
function group(
  pad: string,
  prefix: string,
  open: string,
  close: string,
  items: string[],
  inlineSeparator: string,
  trailing: string,
): string {
  if (items.length === 0) return `${open}${close}`;
  const spaced = open === '{' ? ' ' : '';
  const inline = `${open}${spaced}${items.join(inlineSeparator)}${spaced}${close}`;
  // The line ends with `,` or `;` after the group.
  if (width(pad) + width(prefix) + width(inline) + 1 <= PRINT_WIDTH) return inline;
  const inner = pad + INDENT;
  return `${open}\n${items.map((item) => `${inner}${item}${trailing}\n`).join('')}${pad}${close}`;
}

/**
 * A few sample utterances, so hovering the intent shows what it is for. Slots are written `{slot}`;
 * samples with a set of slots not yet shown come first, so three samples show the ways it is said.
 */
function docOf(intent: IntentModel, pad: string): string {
  const rendered = intent.samples.map((sample, index) => ({
    index,
    text: sample.parts
      .map((part) => (part.slot !== undefined ? `{${part.slot}}` : (part.text ?? '')))
      .join(''),
    slots: sample.parts
      .filter((part) => part.slot !== undefined)
      .map((part) => part.slot)
      .sort()
      .join(','),
  }));
  const chosen: typeof rendered = [];
  const seenText = new Set<string>();
  const seenSlots = new Set<string>();
  for (const pass of [true, false])
    for (const sample of rendered) {
      if (chosen.length === SAMPLES_SHOWN) break;
      if (seenText.has(sample.text) || (pass && seenSlots.has(sample.slots))) continue;
      chosen.push(sample);
      seenText.add(sample.text);
      seenSlots.add(sample.slots);
    }
  if (chosen.length === 0) return '';
  const lines = chosen
    .sort((a, b) => a.index - b.index)
    .map((sample) => `${pad} * - ${docText(sample.text)}\n`);
  return `${pad}/**\n${pad} * Said like:\n${lines.join('')}${pad} */\n`;
}

/**
 * Sample text made safe inside a doc comment: a star and a slash cannot end it, `@` cannot start a JSDoc tag (TypeScript
 * reads `@deprecated` anywhere after a space as one), a line break cannot start a new line. The
 * backslashes are Markdown escapes, so the hover shows the text as written.
 */
function docText(text: string): string {
  return oneLine(text.replaceAll('\\', '\\\\').replaceAll('@', '\\@').replaceAll('*/', '*\\/'));
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * A property name: bare when it is an identifier, else quoted. `__proto__` is computed: written bare
 * or quoted in an object literal it would set the prototype instead of making a property.
 */
function key(name: string): string {
  if (name === '__proto__') return `[${quote(name)}]`;
  return IDENTIFIER.test(name) ? name : quote(name);
}

/**
 * A string literal that reads back as exactly `text`, whatever it holds: quotes and backslashes are
 * escaped, and so is every character that would break the line or hide what the source says (control
 * characters, line and paragraph separators, bidirectional overrides, lone surrogates). Single quotes
 * unless the text holds more of them than double ones, as prettier chooses.
 */
function quote(text: string): string {
  const singles = text.split("'").length;
  const doubles = text.split('"').length;
  const mark = doubles < singles ? '"' : "'";
  let body = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === mark) body += `\\${char}`;
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char === '\t') body += '\\t';
    else if (unsafe(code)) body += `\\u${code.toString(16).padStart(4, '0')}`;
    else body += char;
  }
  return `${mark}${body}${mark}`;
}

/** Control characters, separators, bidi controls, BOM, and a surrogate left alone (`for...of` gives it by itself). */
function unsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

/** Code-unit order: the same in every locale, so the file never changes with the machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Columns a string takes, as prettier counts them: East Asian wide characters take two. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0x300 && code <= 0x36f) continue;
    columns += WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
  }
  return columns;
}

const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];
