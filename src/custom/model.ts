import { didYouMean } from '../core/did-you-mean.js';
import { ExtensionError } from './errors.js';
import type { BuiltinIntent, IntentName } from './handlers.js';
import type { SlotKinds, SlotSpec, SlotView } from './slots.js';

/**
 * The part of an interaction model the extension itself needs: each intent's slots with their slot
 * types, and each custom slot type's representative words (CEK sends the representative, never a
 * synonym, spec custom-extension.md §3). `cekit types <model>` writes it from the console's TSV
 * export or cekit's JSON form; it may also be written by hand:
 *
 *   export const model = defineModel({
 *     intents: { OrderPizza: { pizzaType: 'PIZZA_TYPE', pizzaAmount: 'CLOVA.NUMBER' } },
 *     slotTypes: { PIZZA_TYPE: ['マルゲリータ', 'ペパロニ'] },
 *   });
 *
 * Given to `createExtension({ model })`, it makes `app.intent()` accept only the model's intents and
 * the built-in ones, and types and parses `ctx.slots` by slot type.
 */
export interface ExtensionModel {
  readonly intents: { readonly [intent: string]: { readonly [slot: string]: string } };
  readonly slotTypes?: { readonly [type: string]: readonly string[] };
}

/**
 * How each built-in slot type (spec interaction-model.md §4) is parsed. Types with text values
 * (places, `CLOVA.ORDER`, units alone...) are strings; KR's `CLOVA.KO_ADDRESS_<level>` family, whose
 * levels are not documented, is matched by prefix and is a string too.
 */
export const BUILTIN_SLOT_KINDS = {
  'CLOVA.JP_ADDRESS_KEN': 'string',
  'CLOVA.JP_ADDRESS_SHI': 'string',
  'CLOVA.JP_ADDRESS_KU': 'string',
  'CLOVA.WORLD_COUNTRY': 'string',
  'CLOVA.WORLD_CITY': 'string',
  'CLOVA.DATETIME': 'datetime',
  'CLOVA.DATETIME_RECENT': 'datetime',
  'CLOVA.DURATION': 'duration',
  'CLOVA.OFFICIALDATE': 'string',
  'CLOVA.ORDER': 'string',
  'CLOVA.RELATIVETIME': 'string',
  'CLOVA.WHOLE_NUMBER': 'number',
  'CLOVA.UNIT': 'string',
  'CLOVA.UNIT_GENERAL': 'string',
  'CLOVA.UNIT_AREA': 'string',
  'CLOVA.UNIT_CURRENCY': 'string',
  'CLOVA.UNIT_INFORMATION': 'string',
  'CLOVA.UNIT_LENGTH': 'string',
  'CLOVA.UNIT_RATIO': 'string',
  'CLOVA.UNIT_SPEED': 'string',
  'CLOVA.UNIT_TEMPERATURE': 'string',
  'CLOVA.UNIT_VOLUME': 'string',
  'CLOVA.UNIT_WEIGHT': 'string',
  // `CLOVA.NUMBER` may carry a unit ("2枚"); the number is what handlers want, `ctx.slot(name).unit` has the rest.
  'CLOVA.NUMBER': 'number',
  'CLOVA.GENERIC_NUMBER': 'amount',
  'CLOVA.AREA': 'amount',
  'CLOVA.INFORMATION': 'amount',
  'CLOVA.LENGTH': 'amount',
  'CLOVA.MONEY': 'amount',
  'CLOVA.RATIO': 'amount',
  'CLOVA.SPEED': 'amount',
  'CLOVA.VOLUME': 'amount',
  'CLOVA.WEIGHT': 'amount',
  'CLOVA.TEMPERATURE': 'amount',
  // KR 2019's name of CLOVA.UNIT_CURRENCY.
  'CLOVA.CURRENCY': 'string',
} as const satisfies Record<string, keyof SlotKinds>;

export type BuiltinSlotType = keyof typeof BUILTIN_SLOT_KINDS;
export const BUILTIN_SLOT_TYPES = Object.keys(BUILTIN_SLOT_KINDS) as readonly BuiltinSlotType[];
const KO_ADDRESS = /^CLOVA\.KO_ADDRESS_[A-Z0-9_]+$/;

/** Whether a slot type name is one of CEK's built-in types. */
export function isBuiltinSlotType(type: string): boolean {
  return Object.hasOwn(BUILTIN_SLOT_KINDS, type) || KO_ADDRESS.test(type);
}

/** The value a slot of type `Type` is parsed to, in model `M`. */
export type ModelSlotValue<M extends ExtensionModel, Type> = Type extends BuiltinSlotType
  ? SlotKinds[(typeof BUILTIN_SLOT_KINDS)[Type]]
  : Type extends `CLOVA.${string}`
    ? string
    : M['slotTypes'] extends { readonly [K in Type & string]: readonly (infer V)[] }
      ? V
      : string;

/** The parsed slots of intent `N` in model `M`; built-in intents have none. */
export type ModelSlots<M extends ExtensionModel, N extends string> = N extends keyof M['intents']
  ? { readonly [S in keyof M['intents'][N]]: ModelSlotValue<M, M['intents'][N][S]> | undefined }
  : Record<never, never>;

/** The model given as `ExtensionTypes['model']`, or `undefined` when the extension has none. */
export type ModelOf<T> = T extends { model: infer M extends ExtensionModel } ? M : undefined;

/** The intents an extension of types `T` can register: its model's and the built-in ones, or any name without a model. */
export type IntentNameOf<T> =
  ModelOf<T> extends ExtensionModel ? BuiltinIntent | (keyof ModelOf<T>['intents'] & string) : IntentName;

/**
 * Checks a model at start-up, so a slot type that is neither built in nor defined fails here rather
 * than as an unparsed slot on a speaker, and returns it with its literal types kept.
 */
export function defineModel<const M extends ExtensionModel>(model: M): M {
  const defined = Object.keys(model.slotTypes ?? {});
  for (const [intent, slots] of Object.entries(model.intents)) {
    for (const [slot, type] of Object.entries(slots)) {
      if (isBuiltinSlotType(type) || defined.includes(type)) continue;
      throw new ExtensionError(
        'MODEL_INVALID',
        `Intent ${intent}: slot "${slot}" has type ${type}, which is neither a built-in CLOVA.* type nor defined in slotTypes.` +
          didYouMean(type, [...defined, ...BUILTIN_SLOT_TYPES]),
      );
    }
  }
  return model;
}

/**
 * The parser of each slot of `intent`, by slot type: built-in types by their kind, custom types to
 * their representative word (a value outside the model, as after a console edit that was not
 * regenerated, is `undefined`, as its type promises).
 */
export function modelSlotSpecs(model: ExtensionModel, intent: string): Record<string, SlotSpec> | undefined {
  const slots = model.intents[intent];
  if (!slots) return undefined;
  const specs: Record<string, SlotSpec> = {};
  for (const [slot, type] of Object.entries(slots)) {
    if (isBuiltinSlotType(type)) {
      specs[slot] = Object.hasOwn(BUILTIN_SLOT_KINDS, type)
        ? BUILTIN_SLOT_KINDS[type as BuiltinSlotType]
        : 'string';
      continue;
    }
    const words = new Set(model.slotTypes?.[type] ?? []);
    specs[slot] = (view: SlotView) => (words.has(view.value) ? view.value : undefined);
  }
  return specs;
}
