/**
 * `DiscoverAppliancesResponse` (spec §3, §6.1): each `Appliance` as the `ApplianceInfo` CLOVA expects,
 * with the actions it advertises, and the account's custom commands.
 */

import { allowedActions } from './allowed-actions.js';
import type { Appliance, HomeAccount } from './appliance.js';
import type { HandlerTable } from './handlers.js';
import { homeMessage, type ApplianceInfo, type HomeMessage } from './messages.js';
import type { ApplianceActionName } from './names.js';

/** The actions an appliance advertises when it lists none, by its types. */
export type DefaultActions = (types: string | readonly string[]) => readonly string[];

/**
 * §2: list only what the device supports. Without an explicit list, that is what the type allows and
 * this extension can answer: an action with a handler, and HealthCheck (answered automatically).
 * Computed once per distinct type list, since handlers are fixed at construction.
 */
export function defaultActions(handlers: HandlerTable): DefaultActions {
  const byTypes = new Map<string, readonly string[]>();
  return (types) => {
    const key = typeof types === 'string' ? types : types.join(',');
    let actions = byTypes.get(key);
    if (!actions) {
      const allowed = new Set(
        typeof types === 'string' ? allowedActions(types) : types.flatMap(allowedActions),
      );
      actions = [...allowed]
        .filter((action) => action === 'HealthCheck' || handlers.find(types, action) !== undefined)
        .sort();
      byTypes.set(key, actions);
    }
    return actions;
  };
}

/** The discovery reply for an account; custom commands are sent only when the account has them (§8 #6). */
export function discoverAppliances(
  account: HomeAccount<unknown>,
  defaultActionsFor: DefaultActions,
): HomeMessage {
  const { appliances, customCommands } = account;
  return homeMessage('DiscoverAppliancesResponse', {
    discoveredAppliances: appliances.map((appliance) => toApplianceInfo(appliance, defaultActionsFor)),
    ...(customCommands
      ? {
          customCommands: customCommands.map((command) => ({
            name: command.name,
            actions: command.actions.map(({ applianceId, action }) => ({ applianceId, action })),
          })),
        }
      : {}),
  });
}

/** One appliance as discovery lists it (§6.1). */
export function toApplianceInfo(appliance: Appliance, defaultActionsFor: DefaultActions): ApplianceInfo {
  const types = appliance.type as string | readonly string[];
  // §6.1: discovery must fill every field except additionalApplianceDetails.
  return {
    applianceId: appliance.id,
    applianceTypes: typeof types === 'string' ? [types] : [...types],
    // Listed names are sent as given (data may misspell one: reply validation then refuses it, and the
    // first discovery warns with a did-you-mean).
    actions: [...(appliance.actions ?? defaultActionsFor(types))] as ApplianceActionName[],
    ...(appliance.confirm ? { actionsNeededUserConfirmation: [...appliance.confirm] } : {}),
    friendlyName: appliance.name,
    friendlyDescription: appliance.description ?? appliance.name,
    isIr: appliance.isIr ?? false,
    isReachable: appliance.reachable ?? true,
    manufacturerName: appliance.manufacturer,
    modelName: appliance.model,
    version: appliance.version ?? '1.0',
    location: appliance.location ?? '',
    tags: [...(appliance.tags ?? [])],
    ...additionalDetails(appliance),
  };
}

/** KR `actionDetails` travel inside `additionalApplianceDetails`, next to the free-form `details` (§6.1). */
function additionalDetails(appliance: Appliance): Pick<ApplianceInfo, 'additionalApplianceDetails'> {
  if (!appliance.details && !appliance.actionDetails) return {};
  return {
    additionalApplianceDetails: {
      ...appliance.details,
      ...(appliance.actionDetails ? { actionDetails: appliance.actionDetails } : {}),
    } as ApplianceInfo['additionalApplianceDetails'],
  };
}
