import type { EndpointOptions } from 'cekit';
import { createHomeExtension } from 'cekit/home';
import { appliances, drivers, initialState, type HomeState } from './devices.js';

export interface SmartHomeOptions extends Omit<EndpointOptions, 'dispatcher'> {
  /** The access token the simulated IoT service accepts. */
  accessToken: string;
}

/** A Clova Home extension over in-memory devices: one home, reachable with one access token. */
export function createSmartHome(options: SmartHomeOptions) {
  const state: HomeState = initialState();
  const home = createHomeExtension<HomeState>({
    ...options,
    authenticate: (token) => (token === options.accessToken ? { user: state, appliances } : undefined),
    drivers,
  });
  return { home, state };
}
