/**
 * Clova Home requests, signed and checked like CEK would: the real verifier runs (trusting a key made
 * for this test), and every reply must be the one the spec names for the request, with a valid payload,
 * or the step throws.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from 'cekit';
import { createConversation, generateTestKeyPair } from 'cekit/testing';
import createApp, { DEMO_ACCESS_TOKEN } from '../src/extension.js';

const keys = generateTestKeyPair(); // stands in for CEK's signing key

function talk(accessToken = DEMO_ACCESS_TOKEN) {
  return createConversation({
    target: createApp({ verify: keys.verifyOptions, logger: silentLogger }),
    keys,
    homeAccessToken: accessToken,
  });
}

test('lists the demo appliances, then controls and queries them', async () => {
  const cek = talk();
  const found = await cek.discover();
  const listed = found.payload.discoveredAppliances as { applianceId: string; actions: string[] }[];
  assert.deepEqual(
    listed.map((appliance) => appliance.applianceId),
    ['light-1', 'aircon-1'],
  );
  assert.ok(listed[0]?.actions.includes('SetBrightness'));

  assert.equal((await cek.control('TurnOn', 'light-1')).name, 'TurnOnConfirmation');
  const dimmed = await cek.control('SetBrightness', 'light-1', { brightness: { value: 40 } });
  assert.deepEqual(dimmed.payload.brightness, { value: 40 });
  const health = await cek.control('HealthCheck', 'light-1');
  assert.equal(health.payload.isTurnOn, true);

  const temperature = await cek.control('GetCurrentTemperature', 'aircon-1');
  assert.deepEqual(temperature.payload.currentTemperature, { value: 28.5 });
});

test('refuses a temperature outside the air conditioner range', async () => {
  const cek = talk();
  await cek.discover();
  const reply = await cek.control('SetTargetTemperature', 'aircon-1', { targetTemperature: { value: 35 } });
  assert.equal(reply.name, 'ValueOutOfRangeError');
});

test('refuses an access token it does not know', async () => {
  const reply = await talk('not-a-token').discover();
  assert.equal(reply.name, 'InvalidAccessTokenError');
});
