import { APPLIANCE_TYPE_ACTIONS } from './generated/payloads.js';

/**
 * Actions a type allows (spec clova-home-extension.md §6.2): the union of the JP and KR lists, since one
 * extension may serve both regions (generated from the catalog, where the tables'
 * `GetCurrtentSittingState` typo, §8 #5, is corrected).
 */
const allowedByType: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(APPLIANCE_TYPE_ACTIONS).map(([type, actions]) => [type, new Set<string>(actions)]),
);

/** Sorted; `[]` for an unknown type. */
export function allowedActions(type: string): readonly string[] {
  return Object.hasOwn(APPLIANCE_TYPE_ACTIONS, type)
    ? APPLIANCE_TYPE_ACTIONS[type as keyof typeof APPLIANCE_TYPE_ACTIONS]
    : [];
}

export function typeAllows(type: string, action: string): boolean {
  return allowedByType.get(type)?.has(action) ?? false;
}

/**
 * Whether any of an appliance's types allows `action` (the allowed set is the union, §6.2). Takes the
 * type as given, so the usual single type costs no array: routing calls this on every request.
 */
export function anyTypeAllows(types: string | readonly string[], action: string): boolean {
  if (typeof types === 'string') return typeAllows(types, action);
  for (const type of types) if (typeAllows(type, action)) return true;
  return false;
}
