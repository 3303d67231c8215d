import { isObject } from '../core/message-kind.js';
import { slotValueTypes, type SlotValueType } from './protocol/index.js';

/**
 * The session attribute that carries the dialog in progress from one turn to the next. The dot keeps
 * it apart from the extension's own attributes, which are identifier-like names in typed sessions.
 */
export const DIALOG_STATE_KEY = 'cekit.dialog';

/** Bumped when the format changes: a state of another version is discarded, never guessed at. */
const VERSION = 1;

/**
 * A slot as CEK sent it (its `value` as text), kept so that the next turn parses it again with the
 * same parser: the session comes back from the client, so a kept value is never trusted as parsed.
 */
export interface StoredSlot {
  value: string;
  unit?: string;
  valueType?: SlotValueType;
}

/** What the user heard last: a slot's question, or the confirmation. */
export type Asked = { slot: string } | { confirm: true };

/** The dialog in progress, as read back from the session (only what the dialog may use). */
export interface DialogState {
  intent: string;
  /** Only the slots the dialog tracks, each well-formed; not yet parsed. */
  slots: Map<string, StoredSlot>;
  /** Undefined when the stored question was not one the dialog can ask: then it is worked out again. */
  asked: Asked | undefined;
}

/** What the reader needs to know of a registered dialog to accept a state for it. */
export interface DialogShape {
  readonly slotNames: readonly string[];
  readonly confirms: boolean;
}

/**
 * Reads the dialog state out of session attributes, treating it as untrusted input: anything that is
 * not exactly the format (wrong types, another version, a dialog that is not registered) gives
 * `undefined`; a slot entry that is malformed is left out; only the slot names of the registered
 * dialog are looked up, never the keys the state brings. Never throws.
 */
export function readDialogState(
  attributes: Record<string, unknown>,
  shapeOf: (intent: string) => DialogShape | undefined,
): DialogState | undefined {
  const raw = ownValue(attributes, DIALOG_STATE_KEY);
  if (!isObject(raw) || ownValue(raw, 'v') !== VERSION) return undefined;
  const intent = ownValue(raw, 'intent');
  if (typeof intent !== 'string') return undefined;
  const shape = shapeOf(intent);
  if (!shape) return undefined;
  const storedSlots = ownValue(raw, 'slots');
  if (!isObject(storedSlots)) return undefined;
  const slots = new Map<string, StoredSlot>();
  for (const name of shape.slotNames) {
    const slot = storedSlotFrom(ownValue(storedSlots, name));
    if (slot) slots.set(name, slot);
  }
  return { intent, slots, asked: askedFrom(ownValue(raw, 'asked'), shape) };
}

/** Writes the state as the next request will bring it back (plain JSON). */
export function writeDialogState(
  attributes: Record<string, unknown>,
  intent: string,
  slots: ReadonlyMap<string, StoredSlot>,
  asked: Asked,
): void {
  attributes[DIALOG_STATE_KEY] = {
    v: VERSION,
    intent,
    // Built from the dialog's own slot names, none of them `__proto__` (refused at registration).
    slots: Object.fromEntries(slots),
    asked,
  };
}

export function clearDialogState(attributes: Record<string, unknown>): void {
  delete attributes[DIALOG_STATE_KEY];
}

/** Whether the attributes carry a dialog state at all, well-formed or not. */
export function hasDialogState(attributes: Record<string, unknown>): boolean {
  return Object.hasOwn(attributes, DIALOG_STATE_KEY);
}

/** A slot of the request in the stored form; `undefined` for a slot with no value. */
export function storedSlotOfRequest(slot: {
  value: string | number | null;
  unit?: string | undefined;
  valueType?: SlotValueType | undefined;
}): StoredSlot | undefined {
  if (slot.value === null) return undefined;
  return {
    value: String(slot.value),
    ...(slot.unit !== undefined ? { unit: slot.unit } : {}),
    ...(slot.valueType !== undefined ? { valueType: slot.valueType } : {}),
  };
}

/**
 * The slot CEK would have sent for a parsed value (for `dialog.start(ctx, prefill)`): text and
 * numbers as they are, an `Amount` as its number and unit, date, time and duration values as their
 * `text`. `undefined` for anything else (a custom parser's object), which cannot be parsed again.
 */
export function storedSlotOfValue(value: unknown): StoredSlot | undefined {
  if (typeof value === 'string') return { value };
  if (typeof value === 'number') return Number.isFinite(value) ? { value: String(value) } : undefined;
  if (!isObject(value)) return undefined;
  const text = ownValue(value, 'text');
  if (typeof text === 'string') {
    const type = ownValue(value, 'type');
    return { value: text, ...(isValueType(type) ? { valueType: type } : {}) };
  }
  const number = ownValue(value, 'value');
  const unit = ownValue(value, 'unit');
  if (typeof number === 'number' && Number.isFinite(number))
    return { value: String(number), ...(typeof unit === 'string' ? { unit } : {}) };
  return undefined;
}

function storedSlotFrom(raw: unknown): StoredSlot | undefined {
  if (!isObject(raw)) return undefined;
  const value = ownValue(raw, 'value');
  const unit = ownValue(raw, 'unit');
  const valueType = ownValue(raw, 'valueType');
  if (typeof value !== 'string') return undefined;
  if (unit !== undefined && typeof unit !== 'string') return undefined;
  if (valueType !== undefined && !isValueType(valueType)) return undefined;
  return {
    value,
    ...(unit !== undefined ? { unit } : {}),
    ...(valueType !== undefined ? { valueType } : {}),
  };
}

function askedFrom(raw: unknown, shape: DialogShape): Asked | undefined {
  if (!isObject(raw)) return undefined;
  const slot = ownValue(raw, 'slot');
  if (typeof slot === 'string') return shape.slotNames.includes(slot) ? { slot } : undefined;
  return ownValue(raw, 'confirm') === true && shape.confirms ? { confirm: true } : undefined;
}

function isValueType(value: unknown): value is SlotValueType {
  return typeof value === 'string' && (slotValueTypes as readonly string[]).includes(value);
}

/** Own properties only: a key such as `constructor` or `__proto__` must not reach a prototype. */
function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
