/**
 * A conversation with the extension, signed and checked like CEK would: the real verifier runs (trusting
 * a key made for this test), sentences go through the interaction model, and every reply must be one
 * CEK accepts (status, schema, 8 s deadline), or the step throws.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { silentLogger } from 'cekit';
import { createConversation, generateTestKeyPair, loadInteractionModel } from 'cekit/testing';
import createApp, { EXTENSION_ID } from '../src/extension.js';

const keys = generateTestKeyPair(); // stands in for CEK's signing key
const model = await loadInteractionModel(
  fileURLToPath(new URL('../models/interaction-model.json', import.meta.url)),
);

function talk() {
  return createConversation({
    target: createApp({ verify: keys.verifyOptions, logger: silentLogger }),
    keys,
    extensionId: EXTENSION_ID,
    locale: 'en-US',
    model,
  });
}

test('asks how many dice, then rolls the number the user says', async () => {
  const cek = talk();
  const hello = await cek.launch();
  assert.equal(hello.speech, 'Let me roll some dice. How many?');
  assert.equal(hello.shouldEndSession, false);

  const roll = await cek.say('roll three dice');
  assert.equal(roll.resolution.intent, 'ThrowDiceIntent');
  const total = Number(/The total is (\d+)/.exec(roll.speech)?.[1]);
  assert.ok(total >= 3 && total <= 18, roll.speech);
  assert.equal(roll.shouldEndSession, true);
});

test('asks again for a number of dice it cannot roll', async () => {
  const cek = talk();
  await cek.launch();
  const reply = await cek.intent('ThrowDiceIntent', { diceCount: 20 });
  assert.equal(reply.shouldEndSession, false);
  assert.equal(reply.reprompt, 'Say a number of dice from 1 to 10.');
});

test('explains itself on help, and says goodbye on cancel', async () => {
  const cek = talk();
  await cek.launch();
  assert.match((await cek.intent('Clova.GuideIntent')).speech, /roll three dice/);
  const bye = await cek.intent('Clova.CancelIntent');
  assert.equal(bye.speech, 'Bye!');
  assert.equal(bye.shouldEndSession, true);
});
