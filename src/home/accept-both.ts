import { s, type Schema } from '../schema/index.js';
import { INTERFACES } from './catalog/index.js';
import type { AlternativeShape } from './catalog/types.js';

/**
 * A field the spec says to "accept both" ways (§4.4 notes): the documented shape from the table, or the
 * shape a documented example sends. Validation passes either; the static type is the documented shape
 * only, because cekit emits that form and the Home framework rewrites request fields to it
 * (`normaliseRequest`) before a handler runs. The documented shape is tried first, so a conforming
 * message costs nothing extra.
 */
export function acceptBoth<T>(documented: Schema<T>, alternative: Schema<unknown>): Schema<T> {
  return s.union([documented, alternative]) as Schema<T>;
}

type Payload = Record<string, unknown>;
type Rewrite = (value: unknown) => unknown;

/** Back to the documented form, per alternative shape; a value already in that form is returned as is. */
const TO_DOCUMENTED: Readonly<Record<AlternativeShape, Rewrite>> = {
  // `"mode": "sleep"` → `{ value: "sleep" }`.
  string: (value) => (typeof value === 'string' ? { value } : value),
  // `{ value: "…" }` → `"…"`.
  '{ value: string }': (value) =>
    typeof value === 'object' && value !== null ? (value as { value: unknown }).value : value,
  // `{ value: "3" }` → `{ value: 3 }`; validation let only digits through.
  '{ value: numeric string }': (value) => {
    const inner = (value as { value?: unknown } | undefined)?.value;
    return typeof inner === 'string' ? { ...(value as Payload), value: Number(inner) } : value;
  },
};

/** Request fields with an accepted alternative, by action: built once from the catalog. */
const REQUEST_REWRITES: ReadonlyMap<string, readonly (readonly [string, Rewrite])[]> = new Map(
  INTERFACES.flatMap((entry) => {
    const fields = entry.requestFields
      .filter((field) => field.alsoAccepts !== undefined && !field.name.includes('.'))
      .map((field) => [field.name, TO_DOCUMENTED[field.alsoAccepts!]] as const);
    return fields.length > 0 ? [[entry.action, fields] as const] : [];
  }),
);

/**
 * The request payload in the documented form, so a handler's typed `request` is always what the table
 * says (`count.value` a number, `mode` an object). A copy only when a field was rewritten: the caller's
 * message is not mutated, and a documented request costs one map lookup.
 */
export function normaliseRequest(action: string, payload: Payload): Payload {
  const rewrites = REQUEST_REWRITES.get(action);
  if (!rewrites) return payload;
  let out = payload;
  for (const [field, rewrite] of rewrites) {
    const value = payload[field];
    if (value === undefined) continue;
    const documented = rewrite(value);
    if (documented !== value) out = { ...out, [field]: documented };
  }
  return out;
}
