import { HOME_ACTIONS } from './home-actions.js';

/**
 * Realistic values for the request fields Clova Home interfaces require (value objects of spec
 * clova-home-extension.md §6.3; mode codes §6.4), so `buildHomeControlRequest('SetColor', id)` is a
 * complete request as CLOVA would send it. Callers override any of them.
 */
const SAMPLES: Record<string, unknown> = {
  scene: { sceneId: 'scene-001', sceneName: 'おはよう' },
  brightness: { value: 50 },
  deltaBrightness: { value: 10 },
  channel: { value: 7 },
  deltaChannel: { value: 1 },
  channelName: { value: 'NHK' },
  color: { hue: 120, saturation: 100, brightness: 100 },
  colorTemperature: { value: 4000 },
  fanSpeed: { value: 2 },
  deltaFanSpeed: { value: 1 },
  deltaIntensity: { value: 1 },
  targetTemperature: { value: 24 },
  deltaTemperature: { value: 1 },
  deltaVolume: { value: 1 },
  sourceName: { value: 'HDMI1' },
  lockState: 'LOCKED',
  mode: { value: 'auto' },
  period: { start: '2026-01-01T00:00:00+09:00', end: '2026-01-01T23:59:59+09:00' },
};

const BY_NAME = new Map(HOME_ACTIONS.map((action) => [action.name, action]));

/** Sample values for the fields `action` requires (`{}` for an action without any, or an unknown one). */
export function defaultHomeFields(action: string): Record<string, unknown> {
  const known = BY_NAME.get(action.replace(/Request$/, ''));
  const fields: Record<string, unknown> = {};
  for (const field of known?.requiredFields ?? []) fields[field] = structuredClone(SAMPLES[field]);
  return fields;
}
