import { describe, expect, it } from 'vitest';
import {
  buildActionSceneRequest,
  buildDiscoverScenesRequest,
  buildHomeControlRequest,
  defaultHomeFields,
  HOME_ACTIONS,
  type HomeMessage,
} from 'cekit/testing';
import { listFixtures, readFixture } from '../helpers/fixtures.js';

/** The shape of a JSON value: types, and keys of objects (values ignored). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]));
  return typeof value;
}

describe('Clova Home request builders', () => {
  it('cover all 87 control and query interfaces of the spec (§4.3)', () => {
    expect(HOME_ACTIONS).toHaveLength(87);
    expect(new Set(HOME_ACTIONS.map((action) => action.name)).size).toBe(87);
  });

  it('reads category, regions and required fields from the cekit/home catalog', () => {
    const find = (name: string) => HOME_ACTIONS.find((action) => action.name === name);
    expect(find('SetInputSourceByName')).toEqual({
      name: 'SetInputSourceByName',
      category: 'value',
      regions: ['JP'],
      requiredFields: ['sourceName'],
    });
    expect(find('GetRightPostureRatio')).toMatchObject({ category: 'query', requiredFields: ['period'] });
    // Optional in JP, conditional in KR (§4.4): not required, so no default is filled in.
    expect(find('GetAsleepDuration')).toMatchObject({ regions: ['JP', 'KR'], requiredFields: [] });
    expect(find('ChangeMode')).toMatchObject({ category: 'switching', regions: ['KR'] });
    expect(find('IncrementVolume')).toMatchObject({
      category: 'incremental',
      requiredFields: ['deltaVolume'],
    });
    expect(find('ActionScene')).toMatchObject({ category: 'action', requiredFields: ['scene'] });
    const counts: Record<string, number> = {};
    for (const action of HOME_ACTIONS) counts[action.category] = (counts[action.category] ?? 0) + 1;
    expect(counts).toEqual({ action: 18, switching: 4, incremental: 12, query: 41, value: 12 });
  });

  it.each(
    HOME_ACTIONS.filter((action) => action.name !== 'ActionScene').map((action) => [action.name, action]),
  )('%s: envelope, appliance and every required field', (_name, action) => {
    const message = buildHomeControlRequest(action.name, 'device-001');
    expect(message.header).toMatchObject({
      name: `${action.name}Request`,
      namespace: 'ClovaHome',
      payloadVersion: '1.0',
    });
    expect(message.payload).toMatchObject({
      accessToken: expect.any(String) as string,
      appliance: { applianceId: 'device-001' },
    });
    for (const field of action.requiredFields) expect(message.payload[field], field).toBeDefined();
  });

  // The spec's own request examples: our defaults must have the same fields with the same types.
  const requestFixtures = listFixtures('home').filter((name) => /-request(-[a-z]+)?\.json$/.test(name));
  it.each(requestFixtures)('matches the shape of the spec example %s', (file) => {
    const fixture = readFixture<HomeMessage>(`home/${file}`);
    const action = fixture.header.name.replace(/Request$/, '');
    if (action === 'DiscoverAppliances' || action === 'DiscoverScenes') return;
    const built =
      action === 'ActionScene'
        ? buildActionSceneRequest(fixture.payload.scene as { sceneId: string; sceneName: string })
        : buildHomeControlRequest(action, 'device-001');
    for (const [field, value] of Object.entries(defaultHomeFields(action))) {
      expect(fixture.payload, `${file} has ${field}`).toHaveProperty(field);
      const expected = shape(fixture.payload[field]);
      // Optional members (e.g. ColorInfoObject.brightness) may be absent from our defaults, never different.
      expect(expected).toMatchObject(shape(value) as object);
    }
    expect(Object.keys(built.payload)).toEqual(expect.arrayContaining(['accessToken']));
  });

  it('builds scene requests (JP), which carry scene instead of appliance', () => {
    expect(buildDiscoverScenesRequest().header.name).toBe('DiscoverScenesRequest');
    const scene = buildActionSceneRequest({ sceneId: 's1', sceneName: 'おやすみ' });
    expect(scene.payload).toEqual({
      accessToken: 'sample-access-token',
      scene: { sceneId: 's1', sceneName: 'おやすみ' },
    });
  });

  it('lets the caller override defaults', () => {
    const message = buildHomeControlRequest('SetBrightness', 'light-1', { brightness: { value: 80 } });
    expect(message.payload.brightness).toEqual({ value: 80 });
  });
});
