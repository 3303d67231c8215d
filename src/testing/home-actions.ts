// The catalog module itself, not cekit/home's index: the testing kit needs no Home framework.
import { INTERFACES } from '../home/catalog/index.js';

/**
 * Every Clova Home control and query interface (spec clova-home-extension.md §4.3, 87 of them), with the
 * request fields the spec marks required (§4.4) and the region whose docs list it. A view of the cekit/home
 * catalog (src/home/catalog) for the simulator's request builders, so there is one list to keep up.
 */
export type HomeActionCategory = 'action' | 'switching' | 'incremental' | 'query' | 'value';

export interface HomeAction {
  readonly name: string;
  readonly category: HomeActionCategory;
  /** Documented in the JP docs, the KR docs, or both. */
  readonly regions: readonly ('JP' | 'KR')[];
  /** Request payload fields beyond `accessToken` and `appliance` that the spec requires. */
  readonly requiredFields: readonly string[];
}

/** The catalog keeps the spec's §4.3 category labels; this kit's API has short ones. */
const CATEGORY: Readonly<Record<string, HomeActionCategory>> = {
  Action: 'action',
  Switching: 'switching',
  Incremental: 'incremental',
  'Info query': 'query',
  'Value-setting': 'value',
};

export const HOME_ACTIONS: readonly HomeAction[] = INTERFACES.map((entry) => {
  const category = CATEGORY[entry.category];
  // The catalog's category type is open; fail loudly rather than export an undefined category.
  if (!category) throw new Error(`catalog: unknown category "${entry.category}" for ${entry.action}`);
  return {
    name: entry.action,
    category,
    regions: entry.docs as readonly ('JP' | 'KR')[],
    // Top-level fields only: a dotted name is a member of an object named before it.
    requiredFields: entry.requestFields
      .filter((field) => field.presence === 'R' && !field.name.includes('.'))
      .map((field) => field.name),
  };
});
