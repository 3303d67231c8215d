/**
 * The spec's names (actions, appliance types, location codes) as types, and the run-time tests for the
 * same names when they come from data, where the type checker cannot see them.
 */

import { INTERFACES } from './catalog/index.js';
import { ACTION_NAMES, APPLIANCE_TYPE_NAMES, LOCATION_CODES } from './generated/payloads.js';
import type { APPLIANCE_TYPE_ACTIONS } from './generated/payloads.js';
import type { HomeMessageName, HomePayload } from './messages.js';

type ActionOf<N> = N extends `${infer A}Request` ? A : never;
/** The 87 control/query actions (spec clova-home-extension.md §4.3), e.g. `'TurnOn'`, `'GetHumidity'`. */
export type HomeActionName = Exclude<ActionOf<HomeMessageName>, 'DiscoverAppliances' | 'DiscoverScenes'>;
/** The actions sent to an appliance: all but `ActionScene`, which targets a scene (§4.2, `actionScene`). */
export type ApplianceActionName = Exclude<HomeActionName, 'ActionScene'>;
/** Query actions (`Get…`, `HealthCheck`): their handler must return the reply payload (§4.4.5). */
export type QueryActionName = Extract<ApplianceActionName, `Get${string}` | 'HealthCheck'>;
/** An appliance type of spec §6.2, e.g. `'LIGHT'`. */
export type ApplianceTypeName = (typeof APPLIANCE_TYPE_NAMES)[number];
/** A location code of spec §6.6, e.g. `'LIVING_ROOM'`. */
export type LocationCode = (typeof LOCATION_CODES)[number];
/** Actions a type allows (§6.2, union of JP and KR): `ActionOfType<'LIGHT'>` is `'TurnOn' | …`. */
export type ActionOfType<T extends ApplianceTypeName> = Extract<
  (typeof APPLIANCE_TYPE_ACTIONS)[T][number],
  ApplianceActionName
>;
/** The success reply of an action: `…Confirmation` for control, `…Response` for queries (§1). */
export type ReplyNameOf<A extends HomeActionName> = Extract<
  HomeMessageName,
  `${A}Confirmation` | `${A}Response`
>;
export type RequestPayloadOf<A extends HomeActionName> = HomePayload<`${A}Request` & HomeMessageName>;
export type ReplyPayloadOf<A extends HomeActionName> = HomePayload<ReplyNameOf<A>>;

// Plain-string sets: a name read from data is any `string`, which the literal tuples' `includes` refuses.
const TYPE_NAMES: ReadonlySet<string> = new Set(APPLIANCE_TYPE_NAMES);
const LOCATIONS: ReadonlySet<string> = new Set(LOCATION_CODES);
const ACTIONS: ReadonlySet<string> = new Set(ACTION_NAMES);

/** A type guard for a type read from data: `if (isApplianceType(row.type)) …`. */
export function isApplianceType(value: string): value is ApplianceTypeName {
  return TYPE_NAMES.has(value);
}

/** A type guard for a location read from data. */
export function isLocationCode(value: string): value is LocationCode {
  return LOCATIONS.has(value);
}

/** Whether `value` is one of the spec's action names (§4.3). Internal: not re-exported. */
export function isHomeAction(value: string): boolean {
  return ACTIONS.has(value);
}

/** Each action's success reply, from the spec table (§4.3): `TurnOn` → `TurnOnConfirmation`. */
const REPLY_NAMES: ReadonlyMap<string, HomeMessageName> = new Map(
  INTERFACES.map((entry) => [entry.action, entry.reply as HomeMessageName]),
);

/** The success reply of a known action (`…Confirmation` for control, `…Response` for queries, §1). */
export function replyNameOf(action: HomeActionName): HomeMessageName {
  return REPLY_NAMES.get(action)!;
}

/** A query answers `…Response` with data; every other action answers `…Confirmation` (§1, §4.4.5). */
export function isQuery(action: HomeActionName): boolean {
  return replyNameOf(action).endsWith('Response');
}
