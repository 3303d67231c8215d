import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { closestName, didYouMean } from '../core/did-you-mean.js';

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
  /** The example text of a tagged slot, `2枚` in `<pizzaAmount>2枚</pizzaAmount>`. */
  example?: string;
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
/** What is left of a slot marker that did not parse: `<slot>` without its end tag, `</slot>`, `{slot}`… */
const STRAY_MARKER = /<\/?[A-Za-z_][\w.-]*>|\{[^{}]*\}?|\}/;

/**
 * The built-in slot types (spec interaction-model.md §4.1, JP 2020, and §4.2, KR 2019, which adds
 * `CLOVA.CURRENCY`, the old name of `CLOVA.UNIT_CURRENCY`). The KR address family
 * `CLOVA.KO_ADDRESS_<level>` is accepted by its prefix: its levels are not documented.
 */
export const BUILTIN_SLOT_TYPES: readonly string[] = [
  'CLOVA.JP_ADDRESS_KEN',
  'CLOVA.JP_ADDRESS_SHI',
  'CLOVA.JP_ADDRESS_KU',
  'CLOVA.WORLD_COUNTRY',
  'CLOVA.WORLD_CITY',
  'CLOVA.DATETIME',
  'CLOVA.DATETIME_RECENT',
  'CLOVA.DURATION',
  'CLOVA.OFFICIALDATE',
  'CLOVA.ORDER',
  'CLOVA.RELATIVETIME',
  'CLOVA.WHOLE_NUMBER',
  'CLOVA.UNIT',
  'CLOVA.UNIT_GENERAL',
  'CLOVA.UNIT_AREA',
  'CLOVA.UNIT_CURRENCY',
  'CLOVA.UNIT_INFORMATION',
  'CLOVA.UNIT_LENGTH',
  'CLOVA.UNIT_RATIO',
  'CLOVA.UNIT_SPEED',
  'CLOVA.UNIT_TEMPERATURE',
  'CLOVA.UNIT_VOLUME',
  'CLOVA.UNIT_WEIGHT',
  'CLOVA.NUMBER',
  'CLOVA.GENERIC_NUMBER',
  'CLOVA.AREA',
  'CLOVA.INFORMATION',
  'CLOVA.LENGTH',
  'CLOVA.MONEY',
  'CLOVA.RATIO',
  'CLOVA.SPEED',
  'CLOVA.VOLUME',
  'CLOVA.WEIGHT',
  'CLOVA.TEMPERATURE',
  'CLOVA.CURRENCY',
];
const KO_ADDRESS = /^CLOVA\.KO_ADDRESS_[A-Z0-9_]+$/;

const isBuiltinSlotType = (type: string) => BUILTIN_SLOT_TYPES.includes(type) || KO_ADDRESS.test(type);

/** Splits a sample into literal text and slot placeholders, accepting `{slot}` and `<slot>text</slot>`. */
export function parseSample(source: string): SamplePart[] {
  const parts: SamplePart[] = [];
  let last = 0;
  for (const match of source.matchAll(SLOT_TOKEN)) {
    if (match.index > last) parts.push({ text: source.slice(last, match.index) });
    parts.push(match[1] !== undefined ? { slot: match[1] } : { slot: match[2]!, example: match[3]! });
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push({ text: source.slice(last) });
  return parts;
}

const INTENT_KEYS = ['name', 'slots', 'samples'];
const MODEL_KEYS = ['intents', 'slotTypes', 'fallbackIntent'];
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A key the JSON form does not have (`sample`, `slotType`…) would be ignored silently: refuse it. */
function checkKeys(where: string, value: Record<string, unknown>, known: readonly string[]) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new ModelError(
        `${where}: unknown key "${key}" (expected ${known.map((k) => `"${k}"`).join(', ')}).${didYouMean(key, known)}`,
      );
  }
}

/**
 * Builds a model from the JSON form. Refuses, with a `ModelError` naming the intent and slot: unknown
 * keys, duplicate intents, a sample using an undeclared slot or the same slot twice, a broken slot tag,
 * a slot type that is neither built in (§4) nor defined in the model (with a did-you-mean), a custom
 * type named `CLOVA.*`, and `CLOVA.DATETIME` with `CLOVA.DATETIME_RECENT` in one intent (§4.1).
 */
export function defineInteractionModel(json: ModelJson): InteractionModel {
  if (!isObject(json) || !Array.isArray(json.intents))
    throw new ModelError('An interaction model needs an "intents" array');
  checkKeys('Interaction model', json, MODEL_KEYS);
  if (json.fallbackIntent !== undefined && typeof json.fallbackIntent !== 'boolean')
    throw new ModelError('Interaction model: "fallbackIntent" must be true or false');

  const slotTypes: Record<string, SlotTypeEntry[]> = {};
  if (json.slotTypes !== undefined && !isObject(json.slotTypes))
    throw new ModelError('Interaction model: "slotTypes" must map each type name to its entries');
  for (const [name, entries] of Object.entries(json.slotTypes ?? {})) {
    if (name.startsWith('CLOVA.'))
      throw new ModelError(
        `Slot type ${name}: CLOVA.* names belong to built-in slot types; name a custom type without "CLOVA."`,
      );
    if (!Array.isArray(entries))
      throw new ModelError(`Slot type ${name}: expected a list of entries [representative, ...synonyms]`);
    slotTypes[name] = entries.map((entry) => {
      if (!Array.isArray(entry) || !entry.every((word) => typeof word === 'string'))
        throw new ModelError(`Slot type ${name}: entry ${JSON.stringify(entry)} is not a list of words`);
      const [value, ...synonyms] = entry as string[];
      if (!value) throw new ModelError(`Slot type ${name}: empty entry`);
      return { value, synonyms };
    });
  }

  const seen = new Set<string>();
  const intents = json.intents.map((intent): IntentModel => {
    if (!isObject(intent) || typeof intent.name !== 'string' || !intent.name)
      throw new ModelError('Every intent needs a "name"');
    const where = `Intent ${intent.name}`;
    if (seen.has(intent.name)) throw new ModelError(`${where} is defined twice`);
    seen.add(intent.name);
    checkKeys(where, intent, INTENT_KEYS);
    if (intent.slots !== undefined && !isObject(intent.slots))
      throw new ModelError(`${where}: "slots" must map each slot name to its slot type`);
    if (intent.samples !== undefined && !Array.isArray(intent.samples))
      throw new ModelError(`${where}: "samples" must be a list of sentences`);
    const slots = intent.slots ?? {};
    for (const [slot, type] of Object.entries(slots)) checkSlotType(where, slot, type, slotTypes);
    const types = Object.values(slots);
    if (types.includes('CLOVA.DATETIME') && types.includes('CLOVA.DATETIME_RECENT'))
      throw new ModelError(
        `${where}: CLOVA.DATETIME and CLOVA.DATETIME_RECENT cannot be used in the same intent (spec §4.1)`,
      );
    const samples = (intent.samples ?? []).map((source) => {
      if (typeof source !== 'string')
        throw new ModelError(`${where}: sample ${JSON.stringify(source)} is not text`);
      const parts = parseSample(source);
      const used = new Set<string>();
      for (const part of parts) {
        if (part.slot === undefined) {
          const stray = STRAY_MARKER.exec(part.text ?? '');
          if (stray)
            throw new ModelError(
              `${where}: sample "${source}" has a broken slot marker "${stray[0]}" (write {slot} or <slot>example</slot>)`,
            );
          continue;
        }
        if (!(part.slot in slots))
          throw new ModelError(
            `${where}: sample "${source}" uses undeclared slot "${part.slot}"` +
              (Object.keys(slots).length > 0
                ? ` (declared: ${Object.keys(slots).join(', ')}).${didYouMean(part.slot, Object.keys(slots))}`
                : ''),
          );
        if (used.has(part.slot))
          throw new ModelError(`${where}: sample "${source}" uses slot "${part.slot}" twice`);
        used.add(part.slot);
      }
      return { source, parts };
    });
    return { name: intent.name, slots, samples };
  });
  return { intents, slotTypes, fallbackIntent: json.fallbackIntent === true };
}

function checkSlotType(
  where: string,
  slot: string,
  type: unknown,
  slotTypes: Record<string, SlotTypeEntry[]>,
) {
  if (typeof type !== 'string' || !type)
    throw new ModelError(`${where}: slot "${slot}" needs a slot type name, got ${JSON.stringify(type)}`);
  if (type.startsWith('CLOVA.')) {
    if (!isBuiltinSlotType(type))
      throw new ModelError(
        `${where}: slot "${slot}" has unknown built-in slot type ${type}.` +
          (didYouMean(type, BUILTIN_SLOT_TYPES) ||
            ' See the built-in types in spec interaction-model.md §4.'),
      );
    return;
  }
  if (!(type in slotTypes)) {
    const defined = Object.keys(slotTypes);
    // `NUMBER` for `CLOVA.NUMBER` is too far for an edit distance, and the likeliest slip.
    const suggestion = isBuiltinSlotType(`CLOVA.${type}`)
      ? `CLOVA.${type}`
      : closestName(type, [...defined, ...BUILTIN_SLOT_TYPES]);
    throw new ModelError(
      `${where}: slot "${slot}" has unknown type ${type}: ` +
        (defined.length > 0
          ? `the model defines ${defined.join(', ')}`
          : 'the model defines no custom slot types') +
        ` and it is not a built-in CLOVA.* type.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
    );
  }
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
      const cells = line.split('\t').map((cell) => cell.trim());
      const [slot, type] = cells;
      if (!slot || !type || cells.length > 2)
        throw new ModelError(`Intent ${name}: slot line "${line}" needs name<TAB>type`);
      if (slot in slots) throw new ModelError(`Intent ${name}: slot "${slot}" is declared twice`);
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
  if (info.isFile()) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new ModelError(`${path} is not JSON: ${(error as Error).message}`);
    }
    return defineInteractionModel(json as ModelJson);
  }
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
  const addSlotType = (name: string, text: string) => {
    if (name in json.slotTypes)
      throw new ModelError(`Slot type ${name} is defined by two TSV files in ${path}`);
    json.slotTypes[name] = parseSlotTypeTsv(text);
  };
  await readTsvFolder(join(path, 'intents'), addIntent);
  await readTsvFolder(join(path, 'slot-types'), addSlotType);
  await readTsvFolder(path, (name, text) => {
    const intent = /_intent_(.+)$/.exec(name);
    const slotType = /_slottype_(.+)$/i.exec(name);
    if (intent) addIntent(intent[1]!, text);
    else if (slotType) addSlotType(slotType[1]!, text);
    else
      throw new ModelError(
        `${name}.tsv in ${path}: name it <anything>_intent_<IntentName>.tsv or <anything>_slottype_<TYPE>.tsv, ` +
          'or move it to intents/ or slot-types/',
      );
  });
  let extraText: string | undefined;
  try {
    extraText = await readFile(join(path, 'model.json'), 'utf8');
  } catch {
    // No model.json: defaults apply.
  }
  if (extraText !== undefined) {
    let extra: unknown;
    try {
      extra = JSON.parse(extraText);
    } catch (error) {
      throw new ModelError(`${join(path, 'model.json')} is not JSON: ${(error as Error).message}`);
    }
    if (!isObject(extra)) throw new ModelError(`${join(path, 'model.json')} must be an object`);
    checkKeys(join(path, 'model.json'), extra, ['fallbackIntent']);
    if (extra.fallbackIntent !== undefined) json.fallbackIntent = extra.fallbackIntent as boolean;
  }
  if (json.intents.length === 0) throw new ModelError(`No intent TSV files found in ${path}`);
  return defineInteractionModel(json);
}
