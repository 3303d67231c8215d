/**
 * Serves the dice extension on loopback with the real verifier.
 *
 *   npx tsx examples/dice/main.ts
 *
 * CEK signs requests with its own key; locally we trust a key generated now and print a signed curl
 * command you can paste into another terminal. PORT picks the port (default 3000).
 */
import { serve } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';
import { createDiceExtension } from './extension.js';

const keys = generateTestKeyPair();
const app = createDiceExtension({ verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false } });
const server = await serve(app, { port: Number(process.env.PORT ?? 3000) });

const body = JSON.stringify({
  version: '1.0',
  session: { new: false, sessionAttributes: {}, sessionId: 'local', user: { userId: 'local-user' } },
  context: { System: { application: { applicationId: 'com.example.dice' }, user: { userId: 'local-user' } } },
  request: {
    type: 'IntentRequest',
    intent: { name: 'ThrowDiceIntent', slots: { diceCount: { name: 'diceCount', value: '3' } } },
  },
});
console.log(`dice extension listening on ${server.url}`);
console.log(
  `try: curl -s ${server.url} -H 'content-type: application/json' -H 'SignatureCEK: ${keys.sign(body)}' -d '${body}'`,
);
