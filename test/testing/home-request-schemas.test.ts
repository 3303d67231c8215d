/**
 * Every Clova Home request builder of cekit/testing, checked against the request schemas of cekit/home
 * (generated from the spec tables), so the simulator can never send what the spec does not allow.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, homePayloads, validateHomeMessage } from 'cekit/home';
import * as testing from 'cekit/testing';
import {
  buildActionSceneRequest,
  buildDiscoverAppliancesRequest,
  buildDiscoverScenesRequest,
  buildHomeControlRequest,
  buildHomeRequest,
  defaultHomeFields,
  HOME_ACTIONS,
  type HomeMessage,
} from 'cekit/testing';

/** The builders this file covers; a new one must be added here (see the first test). */
const COVERED = [
  'buildActionSceneRequest',
  'buildDiscoverAppliancesRequest',
  'buildDiscoverScenesRequest',
  'buildHomeControlRequest',
  'buildHomeRequest',
];

/** Every action but ActionScene targets one appliance (§4.2); ActionScene carries a scene. */
const CONTROL_ACTIONS = ACTION_NAMES.filter((action) => action !== 'ActionScene');

/**
 * Zero issues against the cekit/home schema, and no top-level payload field the schema does not name
 * (the schemas accept unknown keys, as real traffic has them; a builder must not invent any).
 */
function expectSpecValid(message: HomeMessage): void {
  expect(validateHomeMessage(message)).toEqual([]);
  const schema = homePayloads[message.header.name as keyof typeof homePayloads];
  expect(message.header.name).toMatch(/Request$/);
  expect(Object.keys(message.payload).filter((key) => !(key in schema.shape))).toEqual([]);
}

describe('Clova Home request builders against the cekit/home schemas', () => {
  it('covers every Clova Home request builder cekit/testing exports', () => {
    const exported = Object.keys(testing).filter(
      (name) => name.startsWith('build') && /Home|Discover|Scene/.test(name),
    );
    expect(exported.sort()).toEqual(COVERED);
  });

  it('knows the same 87 actions as the cekit/home catalog', () => {
    expect(HOME_ACTIONS.map((action) => action.name).sort()).toEqual([...ACTION_NAMES].sort());
  });

  it.each(CONTROL_ACTIONS)('buildHomeControlRequest(%s) validates', (action) => {
    expectSpecValid(buildHomeControlRequest(action, 'device-001'));
    expectSpecValid(
      buildHomeControlRequest(
        `${action}Request`,
        'device-001',
        {},
        { accessToken: 'token-2', messageId: 'm-1', additionalApplianceDetails: { model: 'X1' } },
      ),
    );
  });

  it.each(CONTROL_ACTIONS)('buildHomeRequest(%s) with the default fields validates', (action) => {
    expectSpecValid(
      buildHomeRequest(action, { appliance: { applianceId: 'a1' }, ...defaultHomeFields(action) }),
    );
  });

  it('buildDiscoverAppliancesRequest and buildDiscoverScenesRequest validate', () => {
    expectSpecValid(buildDiscoverAppliancesRequest());
    expectSpecValid(buildDiscoverAppliancesRequest({ accessToken: 'token-2', messageId: 'm-1' }));
    expectSpecValid(buildDiscoverScenesRequest());
    expectSpecValid(buildDiscoverScenesRequest({ accessToken: 'token-2' }));
    expectSpecValid(buildHomeRequest('DiscoverAppliances'));
    expectSpecValid(buildHomeRequest('DiscoverScenesRequest'));
  });

  it('buildActionSceneRequest validates', () => {
    expectSpecValid(buildActionSceneRequest({ sceneId: 's1', sceneName: 'おやすみ' }));
    expectSpecValid(
      buildActionSceneRequest(
        { sceneId: 's1', sceneName: 'おやすみ', additionalSceneDetails: { room: 'bedroom' } },
        { accessToken: 'token-2' },
      ),
    );
  });

  it('the check is not vacuous: a request missing a required field is caught', () => {
    const message = buildHomeControlRequest('SetBrightness', 'light-1');
    delete message.payload.brightness;
    expect(validateHomeMessage(message)).toEqual([
      expect.objectContaining({ code: 'missing', path: ['payload', 'brightness'] }),
    ]);
  });
});
