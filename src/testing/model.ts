import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { didYouMean } from '../core/did-you-mean.js';
import { isObject } from '../core/message-kind.js';
import { examineModel, LINT_ONLY_ERRORS } from './model-lint.js';

export { BUILTIN_SLOT_TYPES } from '../custom/model.js';
export { parseSample } from './model-lint.js';

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

/**
 * Builds a model from the JSON form. Refuses, with a `ModelError` naming the intent and slot: unknown
 * keys, duplicate intents, a sample using an undeclared slot or the same slot twice, a broken slot tag,
 * a slot type that is neither built in (§4) nor defined in the model (with a did-you-mean), a custom
 * type named `CLOVA.*`, and `CLOVA.DATETIME` with `CLOVA.DATETIME_RECENT` in one intent (§4.1). The
 * rules live in model-lint.ts; `lintInteractionModel()` reports all problems, warnings included,
 * instead of the first.
 */
export function defineInteractionModel(json: ModelJson): InteractionModel {
  const { model, problems } = examineModel(json);
  const first = problems.find(
    (problem) => problem.severity === 'error' && !LINT_ONLY_ERRORS.has(problem.code),
  );
  if (first) throw new ModelError(first.message);
  return model;
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
 * The JSON form of a model file or folder, read but not validated, so that `lintInteractionModel()` sees
 * a broken model whole: a `.json` file as it is, or a folder of console TSV files (below) assembled into
 * the JSON form. Throws a `ModelError` only when the files cannot be read as a model at all (not JSON, a
 * TSV line outside its sections, a stray file), and the file system's error when `path` does not exist.
 */
export async function readModelJson(path: string): Promise<ModelJson> {
  const info = await stat(path);
  if (info.isFile()) {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as ModelJson;
    } catch (error) {
      throw new ModelError(`${path} is not JSON: ${(error as Error).message}`);
    }
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
    for (const key of Object.keys(extra)) {
      if (key !== 'fallbackIntent')
        throw new ModelError(
          `${join(path, 'model.json')}: unknown key "${key}" (expected "fallbackIntent").${didYouMean(key, ['fallbackIntent'])}`,
        );
    }
    if (extra.fallbackIntent !== undefined) json.fallbackIntent = extra.fallbackIntent as boolean;
  }
  if (json.intents.length === 0) throw new ModelError(`No intent TSV files found in ${path}`);
  return json;
}

/**
 * Loads a model from a `.json` file (the form above) or from a folder of console TSV files:
 * `intents/<IntentName>.tsv` and `slot-types/<TYPE>.tsv`, or flat files named like the SDK sample,
 * `<anything>_intent_<IntentName>.tsv` and `<anything>_slottype_<TYPE>.tsv`. A `model.json` in the
 * folder may add `fallbackIntent`.
 */
export async function loadInteractionModel(path: string): Promise<InteractionModel> {
  return defineInteractionModel(await readModelJson(path));
}
