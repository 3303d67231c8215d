import type { Slot } from '../custom/protocol/index.js';
import type { InteractionModel } from './model.js';
import { compactOf } from './normalize.js';
import { CURRENCY_CODES, splitNumberAndUnit } from './numbers.js';

/** Reads a slot's text (space-free, and as spoken) into the slot value CEK would deliver, or undefined. */
export type SlotReader = (compact: string, spaced: string) => Omit<Slot, 'name'> | undefined;

/** How a slot type reads text (spec interaction-model.md §4; custom types §2.2). */
export function slotReader(type: string, model: InteractionModel): SlotReader {
  const entries = model.slotTypes[type];
  if (entries) {
    const lookup = new Map<string, string>();
    for (const entry of entries) {
      for (const word of [entry.value, ...entry.synonyms]) {
        const key = compactOf(word);
        if (!lookup.has(key)) lookup.set(key, entry.value);
      }
    }
    return (compact) => {
      const value = lookup.get(compact);
      return value === undefined ? undefined : { value };
    };
  }
  switch (type) {
    case 'CLOVA.WHOLE_NUMBER':
      return (compact) => {
        const read = splitNumberAndUnit(compact);
        return read && read.unit === '' && read.value >= 0 && Number.isInteger(read.value)
          ? { value: String(read.value) }
          : undefined;
      };
    case 'CLOVA.MONEY':
      return (compact) => {
        const read = splitNumberAndUnit(compact);
        const code = read && CURRENCY_CODES[read.unit];
        return read && code ? { value: String(read.value), unit: code } : undefined;
      };
    case 'CLOVA.UNIT_CURRENCY':
      return (compact) => (CURRENCY_CODES[compact] ? { value: CURRENCY_CODES[compact] } : undefined);
    case 'CLOVA.NUMBER':
    case 'CLOVA.GENERIC_NUMBER':
    case 'CLOVA.AREA':
    case 'CLOVA.INFORMATION':
    case 'CLOVA.LENGTH':
    case 'CLOVA.RATIO':
    case 'CLOVA.SPEED':
    case 'CLOVA.VOLUME':
    case 'CLOVA.WEIGHT':
    case 'CLOVA.TEMPERATURE':
      // `unit` only when the words carried one (§4.1: 2 vs 2枚).
      return (compact) => {
        const read = splitNumberAndUnit(compact);
        if (!read || (type !== 'CLOVA.NUMBER' && read.unit === '') || /\d/.test(read.unit)) return undefined;
        return read.unit ? { value: String(read.value), unit: read.unit } : { value: String(read.value) };
      };
    default:
      // Dates, places, units...: CLOVA's formats (§4.3) need a calendar and gazetteers; the simulator
      // passes the spoken text through so a test can still reach the handler. Tests wanting exact
      // DATETIME values send them with `intent(name, { slot: { value, valueType } })`.
      return (_compact, spoken) => ({ value: spoken });
  }
}
