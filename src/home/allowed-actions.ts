import { APPLIANCE_TYPES } from './catalog/index.js';

/**
 * Actions a type allows (spec clova-home-extension.md §6.2): the union of the JP and KR lists, since one
 * extension may serve both regions. (The tables' `GetCurrtentSittingState` typo, §8 #5, is corrected in
 * the catalog itself.)
 */
const allowedByType: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  APPLIANCE_TYPES.map((entry) => [entry.type, new Set([...(entry.jp ?? []), ...(entry.kr ?? [])])]),
);

export function allowedActions(type: string): readonly string[] {
  return [...(allowedByType.get(type) ?? [])].sort();
}

export function typeAllows(type: string, action: string): boolean {
  return allowedByType.get(type)?.has(action) ?? false;
}

export function isApplianceType(type: string): boolean {
  return allowedByType.has(type);
}
