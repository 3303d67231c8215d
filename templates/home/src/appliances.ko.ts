import type { Appliance } from 'cekit/home';

/**
 * The devices of the demo home, as the Clova app lists them after discovery: the names are what the
 * user sees and says. `type` decides the actions CLOVA may send; the drivers in src/extension.ts answer
 * them, and discovery advertises the actions that have a handler.
 */
export const appliances: readonly Appliance[] = [
  {
    id: 'light-1',
    type: 'LIGHT',
    name: '거실 조명',
    manufacturer: 'Example',
    model: 'Light 1',
    location: 'LIVING_ROOM',
  },
  {
    id: 'aircon-1',
    type: 'AIRCONDITIONER',
    name: '침실 에어컨',
    manufacturer: 'Example',
    model: 'Air 1',
    location: 'BED_ROOM',
    // Requests outside the range get ValueOutOfRangeError before a driver runs.
    ranges: { targetTemperature: { min: 18, max: 30 } },
  },
];
