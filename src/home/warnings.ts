/**
 * Mistakes a type checker misses when handlers or appliances come from data (or through casts): names
 * that are not the spec's, handlers that can never run, actions offered but never answered. The checks
 * are pure functions returning `Warning`s; `HomeWarnings` logs each distinct one once.
 */

import { didYouMean } from '../core/did-you-mean.js';
import type { Logger } from '../core/logger.js';
import { allowedActions, anyTypeAllows, typeAllows } from './allowed-actions.js';
import type { Appliance, HomeAccount, HomeCustomCommand } from './appliance.js';
import { ACTION_NAMES, APPLIANCE_TYPE_NAMES, LOCATION_CODES } from './generated/payloads.js';
import type { HandlerTable } from './handlers.js';
import { isApplianceType, isHomeAction, isLocationCode, isQuery } from './names.js';

/** One mistake. It is logged once per `key`; `message` builds the text (did-you-mean included) only then. */
export interface Warning {
  readonly key: string;
  readonly message: () => string;
}

/** Distinct warnings remembered (a bound: appliance data can differ per user). */
const WARNING_LIMIT = 1000;

/**
 * Logs each distinct warning once, not per request or per discovery. Construction checks the options;
 * each discovery checks the account, each appliance object once (a static list only the first time).
 */
export class HomeWarnings {
  private readonly logged = new Set<string>();
  private readonly checkedAppliances = new WeakSet<object>();

  constructor(private readonly logger: Logger) {}

  checkOptions(handlers: HandlerTable, options: SceneOptions): void {
    this.log(actionHandlerWarnings(handlers));
    this.log(driverWarnings(handlers));
    this.log(sceneOptionWarnings(options));
  }

  checkAccount(account: HomeAccount<unknown>, handlers: HandlerTable): void {
    const { appliances, customCommands } = account;
    for (const appliance of appliances) {
      if (this.checkedAppliances.has(appliance)) continue;
      this.checkedAppliances.add(appliance);
      this.log(applianceWarnings(appliance, handlers));
    }
    if (customCommands) this.log(customCommandWarnings(customCommands, appliances));
  }

  private log(warnings: readonly Warning[]): void {
    for (const { key, message } of warnings) {
      if (this.logged.has(key) || this.logged.size >= WARNING_LIMIT) continue;
      this.logged.add(key);
      this.logger.warn(message());
    }
  }
}

/** `actions` entries that never run: `ActionScene` (it targets a scene) and names that are no action. */
export function actionHandlerWarnings(handlers: HandlerTable): Warning[] {
  const warnings: Warning[] = [];
  for (const action of Object.keys(handlers.actions)) {
    if (action === 'ActionScene') {
      warnings.push({
        key: 'actions.ActionScene',
        message: () =>
          'cekit/home: actions.ActionScene never runs: ActionSceneRequest targets a scene, not an appliance. ' +
          'Move it to the `actionScene` option.',
      });
    } else if (!isHomeAction(action)) {
      warnings.push({
        key: `actions.${action}`,
        message: () =>
          `cekit/home: actions.${action} is not a Clova Home action (spec §4.3), so it never runs.` +
          didYouMean(action, ACTION_NAMES),
      });
    }
  }
  return warnings;
}

/** `drivers` that never run: unknown types, unknown actions, and actions their type does not allow. */
export function driverWarnings(handlers: HandlerTable): Warning[] {
  const warnings: Warning[] = [];
  for (const [type, driver] of Object.entries(handlers.drivers)) {
    if (!isApplianceType(type)) {
      warnings.push({
        key: `drivers.${type}`,
        message: () =>
          `cekit/home: drivers.${type}: "${type}" is not an appliance type (spec §6.2), so this driver never runs.` +
          didYouMean(type, APPLIANCE_TYPE_NAMES),
      });
      continue;
    }
    for (const action of Object.keys(driver ?? {})) {
      if (!isHomeAction(action)) {
        warnings.push({
          key: `drivers.${type}.${action}`,
          message: () =>
            `cekit/home: drivers.${type}.${action} is not a Clova Home action (spec §4.3), so it never runs.` +
            (didYouMean(action, allowedActions(type)) || didYouMean(action, ACTION_NAMES)),
        });
      } else if (!typeAllows(type, action)) {
        warnings.push({
          key: `drivers.${type}.${action}`,
          message: () =>
            `cekit/home: drivers.${type}.${action} is dead code: type ${type} does not allow ${action} ` +
            `(spec §6.2), so CLOVA never sends it to a ${type}. Remove it, or move it to the driver of a type ` +
            `that allows it${typesAllowing(action)}.`,
        });
      }
    }
  }
  return warnings;
}

/** The two scene options; only whether each is set matters here. */
export interface SceneOptions {
  readonly scenes?: unknown;
  readonly actionScene?: unknown;
}

/** Scenes need both options: one without the other makes every ActionSceneRequest an error. */
export function sceneOptionWarnings(options: SceneOptions): Warning[] {
  if (options.scenes && !options.actionScene) {
    return [
      {
        key: 'scenes-without-actionScene',
        message: () =>
          'cekit/home: `scenes` is set but `actionScene` is not: every ActionSceneRequest answers ' +
          'UnsupportedOperationError. Add an `actionScene` handler that runs the scene.',
      },
    ];
  }
  if (options.actionScene && !options.scenes) {
    return [
      {
        key: 'actionScene-without-scenes',
        message: () =>
          'cekit/home: `actionScene` is set but `scenes` is not: every ActionSceneRequest answers ' +
          'NoSuchTargetError. Add `scenes(user)` listing the scenes it can run.',
      },
    ];
  }
  return [];
}

/** One appliance's names, checked at its first discovery (data can hold any string). */
export function applianceWarnings(appliance: Appliance, handlers: HandlerTable): Warning[] {
  const types = (typeof appliance.type === 'string' ? [appliance.type] : appliance.type) as readonly string[];
  const warnings = [...typeWarnings(appliance.id, types), ...locationWarnings(appliance)];
  const known = types.filter(isApplianceType);
  // Without a known type every action check below would repeat the type warning.
  if (known.length === 0) return warnings;
  return [...warnings, ...actionListWarnings(appliance, known, handlers)];
}

function typeWarnings(id: string, types: readonly string[]): Warning[] {
  const warnings: Warning[] = [];
  if (types.length === 0) {
    warnings.push({
      key: `no-type:${id}`,
      message: () =>
        `cekit/home: appliance "${id}" has no type: it allows no action (spec §6.2). Set \`type\`, e.g. 'LIGHT'.`,
    });
  }
  for (const type of types) {
    if (isApplianceType(type)) continue;
    warnings.push({
      key: `type:${type}`,
      message: () =>
        `cekit/home: appliance "${id}" has unknown type "${type}" (spec §6.2): it allows no action, so every ` +
        `request for it answers UnsupportedOperationError.` +
        (didYouMean(type, APPLIANCE_TYPE_NAMES) || ' Use a type of APPLIANCE_TYPE_NAMES.'),
    });
  }
  return warnings;
}

function locationWarnings({ id, location }: Appliance): Warning[] {
  if (!location || isLocationCode(location)) return [];
  return [
    {
      key: `location:${location}`,
      message: () =>
        `cekit/home: appliance "${id}" has unknown location code "${location}" (spec §6.6): CLOVA cannot ` +
        `place it in a room.` +
        (didYouMean(location, LOCATION_CODES) || ' Use a code of LOCATION_CODES, or leave it out.'),
    },
  ];
}

/** The `actions`, `confirm` and `actionDetails` lists of an appliance whose `known` types are the spec's. */
function actionListWarnings(
  appliance: Appliance,
  known: readonly string[],
  handlers: HandlerTable,
): Warning[] {
  const id = appliance.id;
  const typeText = known.join('/');
  // A listed name that is no action, or one these types do not allow; the later checks assume neither.
  const nameWarning = (field: string, action: string): Warning | undefined => {
    if (!isHomeAction(action)) {
      return {
        key: `name:${field}:${action}`,
        message: () =>
          `cekit/home: appliance "${id}" ${field} lists "${action}", which is not a Clova Home action ` +
          `(spec §4.3); discovery with it fails reply validation.` +
          (didYouMean(action, known.flatMap(allowedActions)) || didYouMean(action, ACTION_NAMES)),
      };
    }
    if (!anyTypeAllows(known, action)) {
      return {
        key: `allowed:${field}:${typeText}:${action}`,
        message: () =>
          `cekit/home: appliance "${id}" ${field} lists ${action}, which type ${typeText} does not allow ` +
          `(spec §6.2). Remove it, or give the appliance a type that allows it${typesAllowing(action)}.`,
      };
    }
    return undefined;
  };

  const warnings: Warning[] = [];
  for (const action of appliance.actions ?? []) {
    const misnamed = nameWarning('actions', action);
    if (misnamed) warnings.push(misnamed);
    else if (action !== 'HealthCheck' && !handlers.find(known, action)) {
      warnings.push({
        key: `handler:${typeText}:${action}`,
        message: () =>
          `cekit/home: appliance "${id}" lists ${action} in actions but nothing handles it, so CLOVA offers ` +
          `it and every use answers UnsupportedOperationError. Add actions.${action} or ` +
          `drivers.${known[0]}.${action}, or remove it from actions (by default discovery lists only handled actions).`,
      });
    }
  }
  for (const action of appliance.confirm ?? []) {
    const misnamed = nameWarning('confirm', action);
    if (misnamed) warnings.push(misnamed);
    else if (isQuery(action)) {
      warnings.push({
        key: `confirm-query:${action}`,
        message: () =>
          `cekit/home: appliance "${id}" confirm lists ${action}: CLOVA ignores actionsNeededUserConfirmation ` +
          `for HealthCheck and Get… actions (spec §2). Remove it.`,
      });
    }
  }
  for (const detail of appliance.actionDetails ?? []) {
    const misnamed = nameWarning('actionDetails', detail.action);
    if (misnamed) warnings.push(misnamed);
  }
  return warnings;
}

/** Custom commands that run no action, or target an appliance the account does not list. */
export function customCommandWarnings(
  commands: readonly HomeCustomCommand[],
  appliances: readonly Appliance[],
): Warning[] {
  const warnings: Warning[] = [];
  for (const command of commands) {
    for (const { applianceId, action } of command.actions) {
      if (!isHomeAction(action)) {
        warnings.push({
          key: `command-action:${action}`,
          message: () =>
            `cekit/home: custom command "${command.name}" runs "${action}", which is not a Clova Home action ` +
            `(spec §4.3); discovery with it fails reply validation.` +
            didYouMean(action, ACTION_NAMES),
        });
      }
      if (!appliances.some((appliance) => appliance.id === applianceId)) {
        warnings.push({
          key: `command-appliance:${command.name}:${applianceId}`,
          message: () =>
            `cekit/home: custom command "${command.name}" targets appliance "${applianceId}", which this ` +
            `account does not list. Use an id from its appliances.` +
            didYouMean(
              applianceId,
              appliances.map((appliance) => appliance.id),
            ),
        });
      }
    }
  }
  return warnings;
}

/** ` (e.g. AIRCONDITIONER, HEATER)`, for a warning's fix. */
function typesAllowing(action: string): string {
  const types = APPLIANCE_TYPE_NAMES.filter((type) => typeAllows(type, action));
  if (types.length === 0) return '';
  return ` (e.g. ${types.slice(0, 4).join(', ')}${types.length > 4 ? ', …' : ''})`;
}
