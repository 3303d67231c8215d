import type { Slot, SlotValueType } from './protocol/index.js';
import {
  parseDate,
  parseDateTimeSlot,
  parseDuration,
  parseNumber,
  parseTime,
  type Amount,
  type CalendarDate,
  type DateTimeSlotValue,
  type Duration,
  type TimeOfDay,
} from './slot-values.js';

/** A slot as the handler sees it: the raw fields plus parsers for the built-in types. */
export class SlotView {
  readonly name: string;
  /** The value as text (numbers sent as JSON numbers are turned into their digits). */
  readonly value: string;
  /** `CLOVA.DATETIME(_RECENT)` only. */
  readonly valueType: SlotValueType | undefined;
  /** Number+unit types only (`"枚"`, `"JPY"`, `"度"`). */
  readonly unit: string | undefined;
  readonly raw: Slot;

  constructor(slot: Slot) {
    this.raw = slot;
    this.name = slot.name;
    this.value = slot.value === null ? '' : String(slot.value);
    this.valueType = slot.valueType;
    this.unit = slot.unit;
  }

  number(): number | undefined {
    return parseNumber(this.raw.value);
  }
  amount(): Amount | undefined {
    const value = parseNumber(this.raw.value);
    return value === undefined ? undefined : { value, unit: this.unit };
  }
  dateTime(): DateTimeSlotValue | undefined {
    return parseDateTimeSlot(this.value);
  }
  date(): CalendarDate | undefined {
    return parseDate(this.value);
  }
  time(): TimeOfDay | undefined {
    return parseTime(this.value);
  }
  duration(): Duration | undefined {
    return parseDuration(this.value);
  }
}

/** How a declared slot is turned into a value: a built-in kind, or your own parser. */
export type SlotSpec = keyof SlotKinds | ((slot: SlotView) => unknown);

/** The value each built-in kind yields. */
export interface SlotKinds {
  /** The value as text (custom slot types: the representative word). */
  string: string;
  /** `CLOVA.NUMBER`, `CLOVA.WHOLE_NUMBER`. */
  number: number;
  /** Number plus unit: `CLOVA.MONEY`, `CLOVA.LENGTH`, `CLOVA.GENERIC_NUMBER`, ... */
  amount: Amount;
  /** `CLOVA.DATETIME`, `CLOVA.DATETIME_RECENT`: any point or interval. */
  datetime: DateTimeSlotValue;
  date: CalendarDate;
  time: TimeOfDay;
  /** `CLOVA.DURATION`. */
  duration: Duration;
}

export type SlotValueOf<S> = S extends keyof SlotKinds
  ? SlotKinds[S]
  : S extends (slot: SlotView) => infer T
    ? Exclude<T, undefined>
    : never;

/** Declared slots → their parsed values; a slot the user did not fill (or that did not parse) is undefined. */
export type ParsedSlots<D extends Record<string, SlotSpec>> = {
  readonly [K in keyof D]: SlotValueOf<D[K]> | undefined;
};

/** The built-in slot kinds, by name (checked at registration). */
export const SLOT_KINDS: { [K in keyof SlotKinds]: (slot: SlotView) => SlotKinds[K] | undefined } = {
  string: (slot) => (slot.raw.value === null ? undefined : slot.value),
  number: (slot) => slot.number(),
  amount: (slot) => slot.amount(),
  datetime: (slot) => slot.dateTime(),
  date: (slot) => slot.date(),
  time: (slot) => slot.time(),
  duration: (slot) => slot.duration(),
};

export function parseSlots(
  declared: Record<string, SlotSpec>,
  slots: Record<string, Slot> | null | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in declared) {
    const slot = slots?.[name];
    if (slot === undefined) {
      out[name] = undefined;
      continue;
    }
    out[name] = parseSlot(declared[name]!, slot);
  }
  return out;
}

/** One slot by its spec; `undefined` when it does not parse (a parser's `null` included). */
export function parseSlot(spec: SlotSpec, slot: Slot): unknown {
  const view = new SlotView(slot);
  const value = typeof spec === 'function' ? spec(view) : SLOT_KINDS[spec](view);
  return value ?? undefined;
}
