/**
 * `cekit/home`: Clova Home extensions. Typed messages generated from the spec catalog
 * (spec clova-home-extension.md), and the device-centric framework that serves them.
 * @module
 */
export * from './messages.js';
export { valueObjects, interfacePayloads, errorPayloads, applianceRef } from './generated/payloads.js';
export { APPLIANCE_TYPE_NAMES, LOCATION_CODES, ACTION_NAMES } from './generated/payloads.js';
export { INTERFACES, ERRORS, APPLIANCE_TYPES, VALUE_OBJECTS, LOCATIONS } from './catalog/index.js';
export type * from './catalog/types.js';
export * from './extension.js';
export { HomeError, type HomeErrorName } from './errors.js';
export { allowedActions } from './allowed-actions.js';
export type { Range } from './ranges.js';
