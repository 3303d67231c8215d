/**
 * What the developer describes: appliances, the account that owns them, and custom commands. Discovery
 * (discovery.ts) and routing (extension.ts) read these; nothing here runs per request.
 */

import type { ApplianceActionName, ApplianceTypeName, LocationCode } from './names.js';
import type { Range } from './ranges.js';

/**
 * KR `actionDetails` allowed values (§6.1): CLOVA checks a request against them before forwarding it.
 * `string`/`number`: only `enumValues`; `boundedNumber`: any number in `[minValue, maxValue]`.
 */
export type AllowableValue =
  | { readonly type: 'string'; readonly enumValues: readonly string[] }
  | { readonly type: 'number'; readonly enumValues: readonly number[] }
  | { readonly type: 'boundedNumber'; readonly minValue: number; readonly maxValue: number };

/** One KR `additionalApplianceDetails.actionDetails[]` entry (§6.1). */
export interface ActionDetail {
  readonly action: ApplianceActionName;
  readonly allowableValue: AllowableValue;
}

/** One device, as the developer describes it; discovery (§3, §6.1) is built from this. */
export interface Appliance {
  id: string;
  /**
   * Type(s) from spec §6.2 (`'LIGHT'`, or `['LIGHT', 'SWITCH']`); sent as `applianceTypes`. They decide
   * the allowed actions (the union over the types) and which `drivers` answer.
   */
  type: ApplianceTypeName | readonly ApplianceTypeName[];
  name: string;
  manufacturer: string;
  model: string;
  /** Location code (§6.6), e.g. `LIVING_ROOM`; sent as `""` when absent. */
  location?: LocationCode | '';
  description?: string;
  version?: string;
  /** Default true. An unreachable appliance answers `TargetOfflineError` (§5). */
  reachable?: boolean;
  /**
   * Actions the device really supports (§2). Default: the actions its type allows that have a handler
   * (in `actions` or the type's driver), plus `HealthCheck` (answered automatically).
   */
  actions?: readonly ApplianceActionName[];
  /** JP `actionsNeededUserConfirmation` (§6.1): CLOVA asks the user before sending these (not for `Get…`/`HealthCheck`). */
  confirm?: readonly ApplianceActionName[];
  /** KR `additionalApplianceDetails.actionDetails` (§6.1): value constraints CLOVA checks before forwarding. */
  actionDetails?: readonly ActionDetail[];
  /** Bounds for request values, by payload field: `{ targetTemperature: { min: 18, max: 30 } }`. */
  ranges?: Readonly<Record<string, Range>>;
  /** Modes accepted by SetMode/ReleaseMode; another mode answers `UnsupportedOperationError` (§2). */
  modes?: readonly string[];
  /** Free-form `additionalApplianceDetails` (§6.1), echoed back by CLOVA in requests. */
  details?: Record<string, unknown>;
  tags?: readonly string[];
  isIr?: boolean;
}

/**
 * An appliance as read from data (JSON, a database): the same fields with plain strings. Pass a list
 * through `appliancesFromData`; the cost is that mistakes are no longer compile errors, only warnings
 * logged at the first discovery (unknown type or location, actions the type does not allow...).
 */
export interface ApplianceData extends Omit<
  Appliance,
  'type' | 'location' | 'actions' | 'confirm' | 'actionDetails'
> {
  type: string | readonly string[];
  location?: string;
  actions?: readonly string[];
  confirm?: readonly string[];
  actionDetails?: readonly { readonly action: string; readonly allowableValue: AllowableValue }[];
}

/**
 * Appliances read from data, typed as `Appliance` without checking (no copy). Their names are checked at
 * run time instead: the first discovery logs one warning per distinct mistake, with a did-you-mean.
 */
export function appliancesFromData(rows: readonly ApplianceData[]): readonly Appliance[] {
  return rows as readonly Appliance[];
}

/** A user-defined command (§3, §6.3 CustomCommandInfoObject) that runs several device actions. */
export interface HomeCustomCommand {
  /** The utterance, e.g. `'おはよう'`. */
  readonly name: string;
  readonly actions: readonly { readonly applianceId: string; readonly action: ApplianceActionName }[];
}

/** The user behind an access token and the appliances they own. */
export interface HomeAccount<U> {
  user: U;
  appliances: readonly Appliance[];
  /** Sent as discovery's `customCommands` (§3); omitted when absent, as in most examples (§8 #6). */
  customCommands?: readonly HomeCustomCommand[];
}
