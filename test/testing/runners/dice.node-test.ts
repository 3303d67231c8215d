// Run by test/testing/runners.test.ts with `node --test`: cekit/testing needs no Vitest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from 'cekit';
import { createConversation, generateTestKeyPair } from 'cekit/testing';
import { createDiceExtension } from '../../../examples/dice/extension.js';

test('the dice extension rolls under node:test', async () => {
  const keys = generateTestKeyPair();
  const app = createDiceExtension({ verify: keys.verifyOptions, logger: silentLogger, random: () => 0 });
  const cek = createConversation({ target: app, keys, extensionId: 'com.example.dice', locale: 'en-US' });
  assert.equal((await cek.launch()).speech, 'Let me roll some dice. How many?');
  assert.equal(
    (await cek.intent('ThrowDiceIntent', { diceCount: 2 })).speech,
    'I rolled 2 dice. The total is 2.',
  );
});
