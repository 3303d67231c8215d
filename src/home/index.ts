/**
 * `cekit/home`: Clova Home extensions. Typed messages generated from the spec catalog
 * (spec clova-home-extension.md), and the device-centric framework that serves them.
 * @module
 */
export * from './messages.js';
export { valueObjects, interfacePayloads, errorPayloads, applianceRef } from './generated/payloads.js';
export {
  APPLIANCE_TYPE_NAMES,
  APPLIANCE_TYPE_ACTIONS,
  LOCATION_CODES,
  ACTION_NAMES,
} from './generated/payloads.js';
export { INTERFACES, ERRORS, APPLIANCE_TYPES, VALUE_OBJECTS, LOCATIONS } from './catalog/index.js';
export type * from './catalog/types.js';
// The framework. Listed by name: these files also export internals (lookup tables, checks) kept private.
export {
  isApplianceType,
  isLocationCode,
  type HomeActionName,
  type ApplianceActionName,
  type QueryActionName,
  type ApplianceTypeName,
  type LocationCode,
  type ActionOfType,
  type ReplyNameOf,
  type RequestPayloadOf,
  type ReplyPayloadOf,
} from './names.js';
export {
  appliancesFromData,
  type AllowableValue,
  type ActionDetail,
  type Appliance,
  type ApplianceData,
  type HomeCustomCommand,
  type HomeAccount,
} from './appliance.js';
export type {
  HomeActionContext,
  HomeActionHandler,
  HomeActionHandlers,
  HomeDriver,
  HomeDrivers,
} from './handlers.js';
export type { HomeScene, HomeSceneContext } from './scenes.js';
export { createHomeExtension, HomeExtension, type HomeExtensionOptions } from './extension.js';
export { HomeError, type HomeErrorName } from './errors.js';
export { allowedActions } from './allowed-actions.js';
export type { Range } from './ranges.js';
