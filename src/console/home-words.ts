// The catalog module itself, not cekit/home's index: the console needs no Home framework.
import { ERRORS } from '../home/catalog/errors.js';
import type { ConsoleAppliance } from './protocol.js';

/**
 * A Clova Home reply in words, for the console's dialogue (spec clova-home-extension.md §4-5): errors
 * in the catalog's own explanation, confirmations and query answers plainly. Small and generic on
 * purpose: the raw payload is shown beside it.
 */
export function describeHomeReply(name: string, payload: Record<string, unknown>): string {
  if (name.endsWith('Error')) {
    const known = ERRORS.find((entry) => entry.name === name);
    const said = known ? known.when : `The extension answered ${name}.`;
    // ValueOutOfRangeError carries the range the device accepts (§5): the most useful part to say.
    const { minimumValue: min, maximumValue: max } = payload;
    return typeof min === 'number' && typeof max === 'number' ? `${said} It accepts ${min} to ${max}.` : said;
  }
  if (name === 'DiscoverAppliancesResponse') return counted(payload.discoveredAppliances, 'appliance');
  if (name === 'DiscoverScenesResponse') return counted(payload.discoveredScenes, 'scene');
  if (name.endsWith('Confirmation')) return `${name.slice(0, -'Confirmation'.length)} confirmed.`;
  if (name.endsWith('Response')) {
    const values = Object.entries(payload)
      .map(([field, value]) => describeValue(field, value))
      .filter((text): text is string => text !== undefined);
    return values.length > 0 ? values.join('; ') : `${name}.`;
  }
  return name ? `The extension answered ${name}.` : 'The extension answered no Clova Home message.';
}

function counted(list: unknown, noun: string): string {
  const count = Array.isArray(list) ? list.length : 0;
  return `${count} ${noun}${count === 1 ? '' : 's'} found.`;
}

/** `currentTemperature: { value: 24 }` → `Current temperature: 24 °C`; nested objects other than value objects are left to the raw view. */
function describeValue(field: string, value: unknown): string | undefined {
  const label = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const title = label.charAt(0).toUpperCase() + label.slice(1);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return `${title}: ${String(value)}`;
  if (typeof value !== 'object' || value === null || !('value' in value)) return undefined;
  const inner = value.value;
  if (typeof inner !== 'string' && typeof inner !== 'number' && typeof inner !== 'boolean') return undefined;
  const unit =
    'unit' in value && typeof value.unit === 'string'
      ? ` ${value.unit}`
      : /temperature/i.test(field) && typeof inner === 'number'
        ? ' °C'
        : '';
  return `${title}: ${String(inner)}${unit}`;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The appliances of a `DiscoverAppliancesResponse` payload, for the console's cards; malformed entries are skipped. */
export function appliancesOf(payload: Record<string, unknown>): ConsoleAppliance[] {
  const found = payload.discoveredAppliances;
  if (!Array.isArray(found)) return [];
  const appliances: ConsoleAppliance[] = [];
  for (const entry of found as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const fields: Record<string, unknown> = { ...entry };
    if (typeof fields.applianceId !== 'string') continue;
    const types = fields.applianceTypes ?? fields.applianceType;
    appliances.push({
      applianceId: fields.applianceId,
      friendlyName: text(fields.friendlyName) || fields.applianceId,
      applianceType: Array.isArray(types)
        ? types.filter((t) => typeof t === 'string').join(', ')
        : text(types),
      manufacturerName: text(fields.manufacturerName),
      location: text(fields.location) || null,
      isReachable: typeof fields.isReachable === 'boolean' ? fields.isReachable : null,
      actions: Array.isArray(fields.actions)
        ? fields.actions.filter((action): action is string => typeof action === 'string')
        : [],
    });
  }
  return appliances;
}
