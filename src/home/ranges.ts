/**
 * Value ranges the spec defines for request values (spec clova-home-extension.md §6.3): brightness and
 * saturation in %, hue in degrees, fan speed 1 (weak) – 3 (strong). Keyed by request payload field.
 */
export interface Range {
  readonly min: number;
  readonly max: number;
}

const SPEC_RANGES: Readonly<Record<string, Readonly<Record<string, Range>>>> = {
  brightness: { value: { min: 0, max: 100 } },
  color: { hue: { min: 0, max: 360 }, saturation: { min: 0, max: 100 }, brightness: { min: 0, max: 100 } },
  fanSpeed: { value: { min: 1, max: 3 } },
};

// Flattened once: this runs on every control request.
const SPEC_RANGE_LIST = Object.entries(SPEC_RANGES).map(
  ([field, members]) => [field, Object.entries(members)] as const,
);

/**
 * The first out-of-range value in `payload`, checking the spec's ranges and then the appliance's own
 * (`ranges: { targetTemperature: { min: 18, max: 30 } }` applies to `targetTemperature.value`).
 */
export function findOutOfRange(
  payload: Record<string, unknown>,
  applianceRanges: Readonly<Record<string, Range>> | undefined,
): Range | undefined {
  for (const [field, members] of SPEC_RANGE_LIST) {
    const value = payload[field];
    if (typeof value !== 'object' || value === null) continue;
    for (const [member, range] of members) {
      const number = (value as Record<string, unknown>)[member];
      if (typeof number === 'number' && (number < range.min || number > range.max)) return range;
    }
  }
  for (const field in applianceRanges) {
    const range = applianceRanges[field]!;
    const value = payload[field] as { value?: unknown } | undefined;
    const number = value?.value;
    if (typeof number === 'number' && (number < range.min || number > range.max)) return range;
  }
  return undefined;
}
