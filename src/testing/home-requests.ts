import { randomUUID } from 'node:crypto';
import { defaultHomeFields } from './home-samples.js';

/**
 * Clova Home request envelopes (spec clova-home-extension.md §1): `header` with a fresh UUID
 * `messageId`, `namespace: "ClovaHome"`, `payloadVersion: "1.0"`; `payload` starting with the
 * account-linking `accessToken` (§3) and, for control and query requests, the target `appliance` (§4.2).
 */
export interface HomeMessage {
  header: { messageId: string; name: string; namespace: string; payloadVersion: string };
  payload: Record<string, unknown>;
}

export interface HomeRequestOptions {
  /** Default `sample-access-token`. */
  accessToken?: string;
  messageId?: string;
}

/** `TurnOn` or `TurnOnRequest` → `TurnOnRequest`. */
export const homeRequestName = (action: string) => (action.endsWith('Request') ? action : `${action}Request`);

/** Any Clova Home request: `buildHomeRequest('GetHumidity', { appliance: { applianceId: 'a1' } })`. */
export function buildHomeRequest(
  action: string,
  payload: Record<string, unknown> = {},
  options: HomeRequestOptions = {},
): HomeMessage {
  return {
    header: {
      messageId: options.messageId ?? randomUUID(),
      name: homeRequestName(action),
      namespace: 'ClovaHome',
      payloadVersion: '1.0',
    },
    payload: { accessToken: options.accessToken ?? 'sample-access-token', ...payload },
  };
}

/** `DiscoverAppliancesRequest` (§3): the user linked the IoT account or asked for discovery. */
export const buildDiscoverAppliancesRequest = (options: HomeRequestOptions = {}) =>
  buildHomeRequest('DiscoverAppliances', {}, options);

/**
 * A control or query request for one appliance (§4.2): `buildHomeControlRequest('SetBrightness',
 * 'light-1', { brightness: { value: 50 } })`. Fields the interface requires get realistic defaults
 * (`HOME_ACTIONS`); `fields` overrides them. `additionalApplianceDetails` echoes what discovery returned.
 */
export function buildHomeControlRequest(
  action: string,
  applianceId: string,
  fields: Record<string, unknown> = {},
  options: HomeRequestOptions & { additionalApplianceDetails?: Record<string, unknown> } = {},
): HomeMessage {
  const appliance = {
    applianceId,
    ...(options.additionalApplianceDetails
      ? { additionalApplianceDetails: options.additionalApplianceDetails }
      : {}),
  };
  return buildHomeRequest(action, { appliance, ...defaultHomeFields(action), ...fields }, options);
}

/** `DiscoverScenesRequest` (JP, §3). */
export const buildDiscoverScenesRequest = (options: HomeRequestOptions = {}) =>
  buildHomeRequest('DiscoverScenes', {}, options);

/** `ActionSceneRequest` (JP): runs a discovered scene; it carries `scene` instead of `appliance` (§4.2). */
export function buildActionSceneRequest(
  scene: { sceneId: string; sceneName: string; additionalSceneDetails?: Record<string, unknown> },
  options: HomeRequestOptions = {},
): HomeMessage {
  return buildHomeRequest('ActionScene', { scene }, options);
}
