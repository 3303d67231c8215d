import { closestName, didYouMean } from '../core/did-you-mean.js';
import { isObject } from '../core/message-kind.js';
import type { ModelMismatch } from '../custom/extension.js';
import { BUILTIN_SLOT_TYPES, isBuiltinSlotType, type BuiltinSlotType } from '../custom/model.js';
import type { InteractionModel, IntentModel, ModelJson, SamplePart, SlotTypeEntry } from './model.js';
import { compactOf } from './normalize.js';
import { createResolver } from './resolve.js';
import { slotReader } from './slot-readers.js';

/**
 * The rules of an interaction model, in one place. `defineInteractionModel()` refuses a model on the
 * first rule it has always enforced (the `ModelError`s), `lintInteractionModel()` collects every problem
 * of every rule, and `cekit model check` prints them. Codes are stable; messages may improve.
 *
 * Errors (CEK would refuse the model, or the extension would misbehave):
 * - `INVALID_SHAPE`: not the JSON form (a field of the wrong kind, an intent without a name...);
 * - `UNKNOWN_KEY`: a key the JSON form does not have (`sample`, `slotType`), with a did-you-mean;
 * - `DUPLICATE_INTENT`: two intents of one name;
 * - `SLOT_TYPE_RESERVED`: a custom slot type named `CLOVA.*`;
 * - `SLOT_TYPE_EMPTY_ENTRY`: a slot type entry without its representative word;
 * - `SLOT_TYPE_MISSING`: a slot without a type name;
 * - `SLOT_TYPE_UNKNOWN`: a misspelt built-in type (`CLOVA.NUMBR`, `NUMBER`) or an undefined custom one;
 * - `DATETIME_CONFLICT`: `CLOVA.DATETIME` and `CLOVA.DATETIME_RECENT` in one intent (spec §4.1);
 * - `SLOT_MARKER_BROKEN`: a slot marker that does not parse (`<n>2</m>`, `{n`);
 * - `SLOT_UNDECLARED`: a sample uses a slot its intent does not declare, with a did-you-mean;
 * - `SLOT_REPEATED`: one sample uses a slot twice;
 * - `INTENT_NO_SAMPLES`: an intent without sample utterances (nothing can reach it);
 * - `DUPLICATE_SAMPLE`: the same sentence (after the resolver's normalisation, slots compared by type)
 *   in two intents: CEK cannot tell them apart;
 * - `NO_HANDLER`, `HANDLER_SLOT_UNKNOWN` (with an extension): a model intent no handler answers (the
 *   user gets the unhandled fallback), a handler slot the model never fills.
 *
 * Warnings (legal, but probably not what was meant):
 * - `CONFLICTING_SAMPLE`: a sample, its slots filled with an example value, resolves to another intent
 *   in the simulator (the matching of CLOVA's NLU is not documented, §2.4, so only a warning);
 * - `SAMPLE_UNRESOLVED`: such a filled sample resolves to no intent at all in the simulator;
 * - `SLOT_EXAMPLE_INVALID`: a tagged example (`<pizzaType>ハワイアン</pizzaType>`) its slot type does not read;
 * - `REPEATED_SAMPLE`: the same sentence twice in one intent;
 * - `SLOT_UNUSED`: a declared slot no sample of its intent uses, so it is never filled;
 * - `SLOT_TYPE_EMPTY`, `SLOT_TYPE_UNUSED`: a custom slot type without words, or that no slot uses;
 * - `SYNONYM_AMBIGUOUS`: one word under two representatives of a slot type (the first one wins);
 * - `HANDLER_WITHOUT_INTENT` (with an extension): a handler for an intent the model lacks (it never runs).
 */
export type ModelProblemCode =
  | 'INVALID_SHAPE'
  | 'UNKNOWN_KEY'
  | 'DUPLICATE_INTENT'
  | 'SLOT_TYPE_RESERVED'
  | 'SLOT_TYPE_EMPTY_ENTRY'
  | 'SLOT_TYPE_MISSING'
  | 'SLOT_TYPE_UNKNOWN'
  | 'DATETIME_CONFLICT'
  | 'SLOT_MARKER_BROKEN'
  | 'SLOT_UNDECLARED'
  | 'SLOT_REPEATED'
  | 'INTENT_NO_SAMPLES'
  | 'DUPLICATE_SAMPLE'
  | 'CONFLICTING_SAMPLE'
  | 'SAMPLE_UNRESOLVED'
  | 'SLOT_EXAMPLE_INVALID'
  | 'REPEATED_SAMPLE'
  | 'SLOT_UNUSED'
  | 'SLOT_TYPE_EMPTY'
  | 'SLOT_TYPE_UNUSED'
  | 'SYNONYM_AMBIGUOUS'
  | 'NO_HANDLER'
  | 'HANDLER_WITHOUT_INTENT'
  | 'HANDLER_SLOT_UNKNOWN'
  | 'MODEL_UNREADABLE';

/**
 * Errors only the linter reports: `defineInteractionModel()` has always accepted models with them (and
 * throws for every other error, the first one found).
 */
export const LINT_ONLY_ERRORS: ReadonlySet<ModelProblemCode> = new Set([
  'INTENT_NO_SAMPLES',
  'DUPLICATE_SAMPLE',
]);

/** One problem of an interaction model, with where it is: the intent, slot, slot type and sample involved. */
export interface ModelProblem {
  code: ModelProblemCode;
  severity: 'error' | 'warning';
  intent?: string;
  slot?: string;
  slotType?: string;
  /** The sample utterance as written. */
  sample?: string;
  message: string;
}

/** What the linter needs of an extension: `Extension` from `cekit` is one. */
export interface HandlerSource {
  compareWithModel(model: {
    intents: readonly { name: string; slots?: Readonly<Record<string, unknown>> }[];
  }): ModelMismatch[];
}

export interface LintOptions {
  /** Also compare the model with this extension's handlers (`createExtension()`'s result). */
  extension?: HandlerSource;
}

const SLOT_TOKEN = /\{([A-Za-z_][\w.-]*)\}|<([A-Za-z_][\w.-]*)>(.*?)<\/\2>/g;
/** What is left of a slot marker that did not parse: `<slot>` without its end tag, `</slot>`, `{slot}`… */
const STRAY_MARKER = /<\/?[A-Za-z_][\w.-]*>|\{[^{}]*\}?|\}/;

// The built-in slot types are the extension's own table (what each is parsed to), so the model's
// rules and `createExtension({ model })` cannot disagree about which names exist.

/**
 * A value each built-in type reads (slot-readers.ts), to say a sample aloud when its slot has no tagged
 * example. Types that pass the spoken text through (places, holidays...) get a plausible word anyway, so
 * the sentence reads naturally in the messages.
 */
const BUILTIN_EXAMPLES: Record<BuiltinSlotType, string> = {
  'CLOVA.JP_ADDRESS_KEN': '東京都',
  'CLOVA.JP_ADDRESS_SHI': '横浜市',
  'CLOVA.JP_ADDRESS_KU': '渋谷区',
  'CLOVA.WORLD_COUNTRY': 'フランス',
  'CLOVA.WORLD_CITY': 'パリ',
  'CLOVA.DATETIME': '明日',
  'CLOVA.DATETIME_RECENT': '昨日',
  'CLOVA.DURATION': '3分',
  'CLOVA.OFFICIALDATE': '元日',
  'CLOVA.ORDER': '2番目',
  'CLOVA.RELATIVETIME': '3日後',
  'CLOVA.WHOLE_NUMBER': '2',
  'CLOVA.NUMBER': '2',
  'CLOVA.GENERIC_NUMBER': '2個',
  'CLOVA.AREA': '10坪',
  'CLOVA.INFORMATION': '2ギガバイト',
  'CLOVA.LENGTH': '3メートル',
  'CLOVA.MONEY': '500円',
  'CLOVA.RATIO': '10パーセント',
  'CLOVA.SPEED': '時速60キロ',
  'CLOVA.VOLUME': '2リットル',
  'CLOVA.WEIGHT': '3キログラム',
  'CLOVA.TEMPERATURE': '20度',
  'CLOVA.UNIT': '個',
  'CLOVA.UNIT_GENERAL': '個',
  'CLOVA.UNIT_AREA': '坪',
  'CLOVA.UNIT_CURRENCY': '円',
  'CLOVA.CURRENCY': '円',
  'CLOVA.UNIT_INFORMATION': 'バイト',
  'CLOVA.UNIT_LENGTH': 'メートル',
  'CLOVA.UNIT_RATIO': 'パーセント',
  'CLOVA.UNIT_SPEED': 'ノット',
  'CLOVA.UNIT_TEMPERATURE': '度',
  'CLOVA.UNIT_VOLUME': 'リットル',
  'CLOVA.UNIT_WEIGHT': 'グラム',
};
const KO_ADDRESS_EXAMPLE = '서울';

/** The example value a built-in slot type is said with (exported for the tests that check each one reads). */
export const builtinExample = (type: string): string | undefined =>
  Object.hasOwn(BUILTIN_EXAMPLES, type)
    ? BUILTIN_EXAMPLES[type as BuiltinSlotType]
    : isBuiltinSlotType(type) && type.startsWith('CLOVA.KO_ADDRESS_')
      ? KO_ADDRESS_EXAMPLE
      : undefined;

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

/** The problem without its code and severity: where it is, and what. */
type Found = Omit<ModelProblem, 'code' | 'severity'>;

/** What one pass over the JSON form finds. */
export interface ExaminedModel {
  /** The model of what is valid: intents with their usable samples, slots with known types. */
  model: InteractionModel;
  problems: ModelProblem[];
  /** Every intent name and the slots it declares, whatever their validity (for handler checks). */
  declared: { name: string; slots: Record<string, unknown> }[];
}

/**
 * One pass over the JSON form: every problem that needs no resolver, in the order
 * `defineInteractionModel()` has always checked them, so its first error outside `LINT_ONLY_ERRORS` is
 * the `ModelError` it used to throw.
 */
export function examineModel(json: unknown): ExaminedModel {
  const problems: ModelProblem[] = [];
  const model: InteractionModel = { intents: [], slotTypes: {}, fallbackIntent: false };
  const declared: ExaminedModel['declared'] = [];
  const add = (code: ModelProblemCode, severity: ModelProblem['severity'], found: Found) =>
    problems.push({ code, severity, ...found });
  const error = (code: ModelProblemCode, message: string, where: Omit<Found, 'message'> = {}) =>
    add(code, 'error', { ...where, message });
  const warn = (code: ModelProblemCode, message: string, where: Omit<Found, 'message'> = {}) =>
    add(code, 'warning', { ...where, message });
  const result = () => ({ model, problems, declared });

  /** A key the JSON form does not have (`sample`, `slotType`…) would be ignored silently: refuse it. */
  const checkKeys = (
    where: string,
    value: Record<string, unknown>,
    known: readonly string[],
    at: Omit<Found, 'message'> = {},
  ) => {
    for (const key of Object.keys(value)) {
      if (!known.includes(key))
        error(
          'UNKNOWN_KEY',
          `${where}: unknown key "${key}" (expected ${known.map((k) => `"${k}"`).join(', ')}).${didYouMean(key, known)}`,
          at,
        );
    }
  };

  if (!isObject(json) || !Array.isArray(json.intents)) {
    error('INVALID_SHAPE', 'An interaction model needs an "intents" array');
    return result();
  }
  checkKeys('Interaction model', json, MODEL_KEYS);
  if (json.fallbackIntent !== undefined && typeof json.fallbackIntent !== 'boolean')
    error('INVALID_SHAPE', 'Interaction model: "fallbackIntent" must be true or false');
  model.fallbackIntent = json.fallbackIntent === true;

  // Slot types. `defined` names every custom type the model defines, broken or not, so that a slot of a
  // type with one bad entry is not also reported as of an unknown type.
  if (json.slotTypes !== undefined && !isObject(json.slotTypes))
    error('INVALID_SHAPE', 'Interaction model: "slotTypes" must map each type name to its entries');
  const defined: string[] = [];
  for (const [name, entries] of Object.entries(isObject(json.slotTypes) ? json.slotTypes : {})) {
    const at = { slotType: name };
    if (name.startsWith('CLOVA.')) {
      error(
        'SLOT_TYPE_RESERVED',
        `Slot type ${name}: CLOVA.* names belong to built-in slot types; name a custom type without "CLOVA."`,
        at,
      );
      continue;
    }
    defined.push(name);
    if (!Array.isArray(entries)) {
      error(
        'INVALID_SHAPE',
        `Slot type ${name}: expected a list of entries [representative, ...synonyms]`,
        at,
      );
      continue;
    }
    const list: SlotTypeEntry[] = [];
    for (const entry of entries as unknown[]) {
      if (!Array.isArray(entry) || !entry.every((word) => typeof word === 'string')) {
        error(
          'INVALID_SHAPE',
          `Slot type ${name}: entry ${JSON.stringify(entry)} is not a list of words`,
          at,
        );
        continue;
      }
      const [value, ...synonyms] = entry as string[];
      if (!value) {
        error('SLOT_TYPE_EMPTY_ENTRY', `Slot type ${name}: empty entry`, at);
        continue;
      }
      list.push({ value, synonyms });
    }
    model.slotTypes[name] = list;
  }
  /** A type the resolver can read: built in, or a custom type whose entries are a list. */
  const usableType = (type: string) =>
    isBuiltinSlotType(type) || Object.prototype.hasOwnProperty.call(model.slotTypes, type);

  const seen = new Set<string>();
  const usedTypes = new Set<string>();
  for (const intent of json.intents as unknown[]) {
    if (!isObject(intent) || typeof intent.name !== 'string' || !intent.name) {
      error('INVALID_SHAPE', 'Every intent needs a "name"');
      continue;
    }
    const name = intent.name;
    const where = `Intent ${name}`;
    const at = { intent: name };
    if (seen.has(name)) {
      error('DUPLICATE_INTENT', `${where} is defined twice`, at);
      continue;
    }
    seen.add(name);
    checkKeys(where, intent, INTENT_KEYS, at);
    const slotsValid = intent.slots === undefined || isObject(intent.slots);
    if (!slotsValid) error('INVALID_SHAPE', `${where}: "slots" must map each slot name to its slot type`, at);
    const samplesValid = intent.samples === undefined || Array.isArray(intent.samples);
    if (!samplesValid) error('INVALID_SHAPE', `${where}: "samples" must be a list of sentences`, at);
    const slots = isObject(intent.slots) ? intent.slots : {};
    declared.push({ name, slots });
    const usable: Record<string, string> = {};
    for (const [slot, type] of Object.entries(slots)) {
      if (typeof type === 'string') usedTypes.add(type);
      if (checkSlotType(where, slot, type, defined, (code, message) => error(code, message, { ...at, slot })))
        if (usableType(type as string)) usable[slot] = type as string;
    }
    const types = Object.values(slots);
    if (types.includes('CLOVA.DATETIME') && types.includes('CLOVA.DATETIME_RECENT'))
      error(
        'DATETIME_CONFLICT',
        `${where}: CLOVA.DATETIME and CLOVA.DATETIME_RECENT cannot be used in the same intent (spec §4.1)`,
        at,
      );

    const sources: unknown[] = Array.isArray(intent.samples) ? intent.samples : [];
    const samples: IntentModel['samples'] = [];
    const used = new Set<string>();
    for (const source of sources) {
      if (typeof source !== 'string') {
        error('INVALID_SHAPE', `${where}: sample ${JSON.stringify(source)} is not text`, at);
        continue;
      }
      const parts = parseSample(source);
      const inSample = new Set<string>();
      // A sample with a problem stays out of the model the resolver-based rules see.
      let fine = true;
      for (const part of parts) {
        if (part.slot === undefined) {
          const stray = STRAY_MARKER.exec(part.text ?? '');
          if (stray) {
            fine = false;
            error(
              'SLOT_MARKER_BROKEN',
              `${where}: sample "${source}" has a broken slot marker "${stray[0]}" (write {slot} or <slot>example</slot>)`,
              { ...at, sample: source },
            );
          }
          continue;
        }
        used.add(part.slot);
        if (!Object.prototype.hasOwnProperty.call(slots, part.slot)) {
          fine = false;
          // With "slots" itself broken, every slot would look undeclared: that is one problem, said above.
          if (slotsValid)
            error(
              'SLOT_UNDECLARED',
              `${where}: sample "${source}" uses undeclared slot "${part.slot}"` +
                (Object.keys(slots).length > 0
                  ? ` (declared: ${Object.keys(slots).join(', ')}).${didYouMean(part.slot, Object.keys(slots))}`
                  : ''),
              { ...at, slot: part.slot, sample: source },
            );
          continue;
        }
        if (inSample.has(part.slot)) {
          fine = false;
          error('SLOT_REPEATED', `${where}: sample "${source}" uses slot "${part.slot}" twice`, {
            ...at,
            slot: part.slot,
            sample: source,
          });
          continue;
        }
        inSample.add(part.slot);
        if (!(part.slot in usable)) fine = false;
      }
      if (fine) samples.push({ source, parts });
    }
    if (samplesValid && sources.length === 0)
      error(
        'INTENT_NO_SAMPLES',
        `${where} has no sample utterances: no sentence can reach it (CEK needs at least one to build the model)`,
        at,
      );
    if (slotsValid) {
      for (const slot of Object.keys(slots)) {
        if (!used.has(slot) && sources.length > 0)
          warn('SLOT_UNUSED', `${where}: slot "${slot}" is used in no sample, so CEK never fills it`, {
            ...at,
            slot,
          });
      }
    }
    model.intents.push({ name, slots: usable, samples });
  }

  for (const name of defined) {
    const entries = model.slotTypes[name];
    const at = { slotType: name };
    if (!usedTypes.has(name))
      warn('SLOT_TYPE_UNUSED', `Slot type ${name} is used by no slot of any intent`, at);
    if (!entries) continue;
    // Only a type written without words: one whose entries are all broken was reported entry by entry.
    if (((json.slotTypes as Record<string, unknown[]>)[name] ?? []).length === 0)
      warn('SLOT_TYPE_EMPTY', `Slot type ${name} has no words, so no value can fill its slots`, at);
    // The resolver (and, as far as anyone can tell, CEK) reads a word as the first entry that lists it.
    const owner = new Map<string, string>();
    for (const entry of entries) {
      for (const word of [entry.value, ...entry.synonyms]) {
        const key = compactOf(word);
        const first = owner.get(key);
        if (first === undefined) owner.set(key, entry.value);
        else if (first !== entry.value)
          warn(
            'SYNONYM_AMBIGUOUS',
            `Slot type ${name}: "${word}" is listed under both "${first}" and "${entry.value}"; it is read as "${first}"`,
            at,
          );
      }
    }
  }
  return result();
}

/** Checks one slot's type; false when it is not a type (a problem was reported). */
function checkSlotType(
  where: string,
  slot: string,
  type: unknown,
  defined: readonly string[],
  error: (code: ModelProblemCode, message: string) => void,
): boolean {
  if (typeof type !== 'string' || !type) {
    error(
      'SLOT_TYPE_MISSING',
      `${where}: slot "${slot}" needs a slot type name, got ${JSON.stringify(type)}`,
    );
    return false;
  }
  if (type.startsWith('CLOVA.')) {
    if (isBuiltinSlotType(type)) return true;
    error(
      'SLOT_TYPE_UNKNOWN',
      `${where}: slot "${slot}" has unknown built-in slot type ${type}.` +
        (didYouMean(type, BUILTIN_SLOT_TYPES) || ' See the built-in types in spec interaction-model.md §4.'),
    );
    return false;
  }
  if (defined.includes(type)) return true;
  // `NUMBER` for `CLOVA.NUMBER` is too far for an edit distance, and the likeliest slip.
  const suggestion = isBuiltinSlotType(`CLOVA.${type}`)
    ? `CLOVA.${type}`
    : closestName(type, [...defined, ...BUILTIN_SLOT_TYPES]);
  error(
    'SLOT_TYPE_UNKNOWN',
    `${where}: slot "${slot}" has unknown type ${type}: ` +
      (defined.length > 0
        ? `the model defines ${defined.join(', ')}`
        : 'the model defines no custom slot types') +
      ` and it is not a built-in CLOVA.* type.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
  );
  return false;
}

/**
 * Every problem of an interaction model in the JSON form (`readModelJson()` reads one from a file or a
 * TSV folder without validating it), errors and warnings, instead of `defineInteractionModel()`'s first
 * error. Never throws. With `extension`, the model is also compared with the extension's handlers.
 * Run it in a test: `expect(lintInteractionModel(json).filter((p) => p.severity === 'error')).toEqual([])`.
 */
export function lintInteractionModel(json: ModelJson, options: LintOptions = {}): ModelProblem[] {
  const examined = examineModel(json);
  const problems = [...examined.problems, ...sampleProblems(examined.model)];
  if (options.extension && isObject(json) && Array.isArray(json.intents))
    problems.push(...handlerProblems(examined.declared, options.extension));
  return problems;
}

const sampleKey = (intent: string, source: string) => `${intent}\u0000${source}`;

/** Samples compared across the model: duplicates, and how each one resolves once said with values. */
function sampleProblems(model: InteractionModel): ModelProblem[] {
  const problems: ModelProblem[] = [];
  // The resolver compares normalised, space-free text; a slot matches by its type, whatever its name.
  const templates = new Map<string, { intent: string; source: string }>();
  const duplicated = new Set<string>();
  for (const intent of model.intents) {
    for (const { source, parts } of intent.samples) {
      const template = parts
        .map((part) =>
          part.slot !== undefined ? `{${intent.slots[part.slot]}}` : compactOf(part.text ?? ''),
        )
        .join('');
      const earlier = templates.get(template);
      const at = { intent: intent.name, sample: source };
      if (!earlier) templates.set(template, { intent: intent.name, source });
      else if (earlier.intent === intent.name)
        problems.push({
          code: 'REPEATED_SAMPLE',
          severity: 'warning',
          ...at,
          message:
            earlier.source === source
              ? `Intent ${intent.name}: sample "${source}" is listed twice`
              : `Intent ${intent.name}: sample "${source}" is the same sentence as its sample "${earlier.source}"`,
        });
      else {
        duplicated.add(sampleKey(intent.name, source)).add(sampleKey(earlier.intent, earlier.source));
        problems.push({
          code: 'DUPLICATE_SAMPLE',
          severity: 'error',
          ...at,
          message: `Intent ${intent.name}: sample "${source}" is the same sentence as sample "${earlier.source}" of intent ${earlier.intent}: CEK cannot tell the two intents apart`,
        });
      }
    }
  }

  const resolver = createResolver(model);
  const readers = new Map<string, (compact: string, spoken: string) => unknown>();
  const reads = (type: string, text: string) => {
    let reader = readers.get(type);
    if (!reader) readers.set(type, (reader = slotReader(type, model)));
    return reader(compactOf(text), text) !== undefined;
  };
  for (const intent of model.intents) {
    for (const { source, parts } of intent.samples) {
      const at = { intent: intent.name, sample: source };
      let said = '';
      let sayable = true;
      for (const part of parts) {
        if (part.slot === undefined) {
          said += part.text ?? '';
          continue;
        }
        const type = intent.slots[part.slot]!;
        const fallback = model.slotTypes[type]?.[0]?.value ?? builtinExample(type);
        if (part.example !== undefined && !reads(type, part.example)) {
          const close = closestWord(model.slotTypes[type], part.example);
          problems.push({
            code: 'SLOT_EXAMPLE_INVALID',
            severity: 'warning',
            ...at,
            slot: part.slot,
            message:
              `Intent ${intent.name}: sample "${source}" tags "${part.example}" as slot ${part.slot}, which is not a ${type} value` +
              (close ? `. Did you mean "${close}"?` : ''),
          });
          if (fallback === undefined) sayable = false;
          said += fallback ?? '';
        } else if (part.example !== undefined) said += part.example;
        else if (fallback !== undefined) said += fallback;
        else sayable = false; // A custom type without words: SLOT_TYPE_EMPTY says so.
      }
      if (!sayable || duplicated.has(sampleKey(intent.name, source))) continue;
      const resolution = resolver.resolve(said);
      if (resolution.intent === intent.name) continue;
      const saying = said.trim() === source.trim() ? '' : ` (said as "${said.trim()}")`;
      if (resolution.via === 'sample')
        problems.push({
          code: 'CONFLICTING_SAMPLE',
          severity: 'warning',
          ...at,
          message: `Intent ${intent.name}: sample "${source}"${saying} resolves to intent ${resolution.intent} (its sample "${resolution.sample}")`,
        });
      else
        problems.push({
          code: 'SAMPLE_UNRESOLVED',
          severity: 'warning',
          ...at,
          message:
            `Intent ${intent.name}: sample "${source}"${saying} resolves to ${resolution.intent || 'the end of the session'} in the simulator` +
            (resolution.nearMisses[0] ? ` (${resolution.nearMisses[0].reason})` : ''),
        });
    }
  }
  return problems;
}

/** The custom type's word closest to `text`, for a tagged example that looks like a typo. */
function closestWord(entries: readonly SlotTypeEntry[] | undefined, text: string): string | undefined {
  const words = entries?.flatMap((entry) => [entry.value, ...entry.synonyms]) ?? [];
  const close = closestName(compactOf(text), words.map(compactOf));
  return close === undefined ? undefined : words.find((word) => compactOf(word) === close);
}

/** Each way the handlers and the model can disagree, as a problem of the model. */
const MISMATCH_CODES = {
  'handler-without-intent': { code: 'HANDLER_WITHOUT_INTENT', severity: 'warning' },
  'slot-without-model-slot': { code: 'HANDLER_SLOT_UNKNOWN', severity: 'error' },
  'intent-without-handler': { code: 'NO_HANDLER', severity: 'error' },
} as const satisfies Record<ModelMismatch['kind'], Pick<ModelProblem, 'code' | 'severity'>>;

/** The model against an extension's handlers, as the extension itself compares them. */
function handlerProblems(intents: ExaminedModel['declared'], extension: HandlerSource): ModelProblem[] {
  return extension.compareWithModel({ intents }).map(({ kind, intent, slot, message }) => ({
    ...MISMATCH_CODES[kind],
    intent,
    ...(slot === undefined ? {} : { slot }),
    message: message.charAt(0).toUpperCase() + message.slice(1),
  }));
}
