export { INTERFACES } from './interfaces.js';
export { ERRORS } from './errors.js';
export { APPLIANCE_TYPES } from './appliance-types.js';
export { VALUE_OBJECTS } from './value-objects.js';
export { LOCATIONS } from './locations.js';
export type * from './types.js';
