import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

/**
 * An interaction model (spec interaction-model.md §1-2): intents with slots and sample utterances,
 * custom slot types with representative words and synonyms. The console only has TSV files per intent
 * and per slot type (§2.1-2.2) and no whole-model export (§5), so cekit also reads a JSON form of its
 * own, documented in docs/guides/testing.md:
 *
 *   { "intents": [{ "name": "ThrowDiceIntent", "slots": { "diceCount": "CLOVA.NUMBER" },
 *                   "samples": ["roll {diceCount} dice", "<diceCount>3</diceCount>個振って"] }],
 *     "slotTypes": { "PIZZA_TYPE": [["pepperoni", "pepperoni pizza"], ["cheese"]] },
 *     "fallbackIntent": false }
 *
 * Samples mark a slot with `{slotName}` or with the console's tag form `<slotName>example</slotName>`.
 */
export interface ModelJson {
  intents: { name: string; slots?: Record<string, string>; samples: string[] }[];
  /** Slot type → entries; each entry is `[representative, ...synonyms]`. */
  slotTypes?: Record<string, string[][]>;
  /** Whether `Clova.FallbackIntent` is enabled (JP, off by default): unmatched text goes there, else to GuideIntent. */
  fallbackIntent?: boolean;
}

export interface SamplePart {
  /** Literal text, or undefined for a slot placeholder. */
  text?: string;
  slot?: string;
}

export interface IntentModel {
  name: string;
  /** Slot name → slot type (`CLOVA.NUMBER`, `PIZZA_TYPE`, ...). */
  slots: Record<string, string>;
  /** Sample utterances as written, and parsed into literal and slot parts. */
  samples: { source: string; parts: SamplePart[] }[];
}

export interface SlotTypeEntry {
  value: string;
  synonyms: string[];
}

export interface InteractionModel {
  intents: IntentModel[];
  slotTypes: Record<string, SlotTypeEntry[]>;
  fallbackIntent: boolean;
}

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

const SLOT_TOKEN = /\{([A-Za-z_][\w.-]*)\}|<([A-Za-z_][\w.-]*)>(.*?)<\/\2>/g;

/** Splits a sample into literal text and slot placeholders, accepting `{slot}` and `<slot>text</slot>`. */
export function parseSample(source: string): SamplePart[] {
  const parts: SamplePart[] = [];
  let last = 0;
  for (const match of source.matchAll(SLOT_TOKEN)) {
    if (match.index > last) parts.push({ text: source.slice(last, match.index) });
    parts.push({ slot: match[1] ?? match[2]! });
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push({ text: source.slice(last) });
  return parts;
}

/** Builds a model from the JSON form, checking that every sample's slots are declared. */
export function defineInteractionModel(json: ModelJson): InteractionModel {
  if (!json || !Array.isArray(json.intents))
    throw new ModelError('An interaction model needs an "intents" array');
  const intents = json.intents.map((intent): IntentModel => {
    if (typeof intent.name !== 'string' || !intent.name) throw new ModelError('Every intent needs a "name"');
    const slots = intent.slots ?? {};
    const samples = (intent.samples ?? []).map((source) => {
      const parts = parseSample(source);
      for (const part of parts) {
        if (part.slot !== undefined && !(part.slot in slots))
          throw new ModelError(
            `Intent ${intent.name}: sample "${source}" uses undeclared slot "${part.slot}"`,
          );
      }
      return { source, parts };
    });
    return { name: intent.name, slots, samples };
  });
  const slotTypes: Record<string, SlotTypeEntry[]> = {};
  for (const [name, entries] of Object.entries(json.slotTypes ?? {})) {
    slotTypes[name] = entries.map(([value, ...synonyms]) => {
      if (typeof value !== 'string' || !value) throw new ModelError(`Slot type ${name}: empty entry`);
      return { value, synonyms };
    });
  }
  for (const intent of intents) {
    for (const [slot, type] of Object.entries(intent.slots)) {
      if (!type.startsWith('CLOVA.') && !(type in slotTypes))
        throw new ModelError(`Intent ${intent.name}: slot "${slot}" has unknown type ${type}`);
    }
  }
  return { intents, slotTypes, fallbackIntent: json.fallbackIntent === true };
}

/** Reads the console's intent TSV (§2.1): `[INTENT SLOT]` name⇥type lines, `[INTENT EXPRESSION]` samples. */
export function parseIntentTsv(name: string, text: string): ModelJson['intents'][number] {
  const slots: Record<string, string> = {};
  const samples: string[] = [];
  let section: 'slot' | 'expression' | undefined;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (/^\[INTENT SLOT\]$/i.test(line)) section = 'slot';
    else if (/^\[INTENT EXPRESSION\]$/i.test(line)) section = 'expression';
    else if (section === 'slot') {
      const [slot, type] = line.split('\t').map((cell) => cell.trim());
      if (!slot || !type) throw new ModelError(`Intent ${name}: slot line "${line}" needs name<TAB>type`);
      slots[slot] = type;
    } else if (section === 'expression') samples.push(line);
    else throw new ModelError(`Intent ${name}: "${line}" is outside [INTENT SLOT] / [INTENT EXPRESSION]`);
  }
  return { name, slots, samples };
}

/** Reads the console's slot type TSV (§2.2): representative word, then synonyms, tab-separated. */
export function parseSlotTypeTsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) =>
      line
        .split('\t')
        .map((cell) => cell.trim())
        .filter(Boolean),
    )
    .filter((cells) => cells.length > 0);
}

/**
 * Loads a model from a `.json` file (the form above) or from a folder of console TSV files:
 * `intents/<IntentName>.tsv` and `slot-types/<TYPE>.tsv`, or flat files named like the SDK sample,
 * `<anything>_intent_<IntentName>.tsv` and `<anything>_slottype_<TYPE>.tsv`. A `model.json` in the
 * folder may add `fallbackIntent`.
 */
export async function loadInteractionModel(path: string): Promise<InteractionModel> {
  const info = await stat(path);
  if (info.isFile()) return defineInteractionModel(JSON.parse(await readFile(path, 'utf8')) as ModelJson);
  const json: ModelJson & { slotTypes: Record<string, string[][]> } = { intents: [], slotTypes: {} };
  const readTsvFolder = async (folder: string, add: (name: string, text: string) => void) => {
    let names: string[];
    try {
      names = (await readdir(folder)).filter((file) => extname(file) === '.tsv').sort();
    } catch {
      return;
    }
    for (const file of names) add(basename(file, '.tsv'), await readFile(join(folder, file), 'utf8'));
  };
  const addIntent = (name: string, text: string) => json.intents.push(parseIntentTsv(name, text));
  const addSlotType = (name: string, text: string) => (json.slotTypes[name] = parseSlotTypeTsv(text));
  await readTsvFolder(join(path, 'intents'), addIntent);
  await readTsvFolder(join(path, 'slot-types'), addSlotType);
  await readTsvFolder(path, (name, text) => {
    const intent = /_intent_(.+)$/.exec(name);
    const slotType = /_slottype_(.+)$/i.exec(name);
    if (intent) addIntent(intent[1]!, text);
    else if (slotType) addSlotType(slotType[1]!, text);
  });
  try {
    const extra = JSON.parse(await readFile(join(path, 'model.json'), 'utf8')) as Partial<ModelJson>;
    json.fallbackIntent = extra.fallbackIntent === true;
  } catch {
    // No model.json: defaults apply.
  }
  if (json.intents.length === 0) throw new ModelError(`No intent TSV files found in ${path}`);
  return defineInteractionModel(json);
}
