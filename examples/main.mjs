// The main job: serve a minimal extension with cekit/node and the real verifier, trusting a key
// generated just now, then show a CEK-signed request accepted and a forged one refused.
import { createEndpoint } from 'cekit';
import { serve } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';

const keys = generateTestKeyPair();
const endpoint = createEndpoint({
  extensionId: 'com.example.hello',
  verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
  requestLog: false,
  dispatcher: {
    kinds: ['custom'],
    dispatch: () => ({
      version: '1.0',
      sessionAttributes: {},
      response: {
        outputSpeech: {
          type: 'SimpleSpeech',
          values: { type: 'PlainText', lang: 'en', value: 'Hello from cekit!' },
        },
        card: {},
        directives: [],
        shouldEndSession: true,
      },
    }),
  },
});

const server = await serve(endpoint, { port: 0, handleSignals: false });
console.log(`extension listening on ${server.url}`);

const body = JSON.stringify({
  version: '1.0',
  session: { new: true, sessionAttributes: {}, sessionId: 'demo-session', user: { userId: 'demo-user' } },
  context: {
    System: {
      application: { applicationId: 'com.example.hello' },
      device: { deviceId: 'demo' },
      user: { userId: 'demo-user' },
    },
  },
  request: { type: 'LaunchRequest' },
});
const send = (signature) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset-UTF-8', signaturecek: signature },
    body,
  }).then(async (res) => `${res.status} ${await res.text()}`);

console.log('signed request ->', await send(keys.sign(body)));
console.log('forged request ->', await send(generateTestKeyPair().sign(body)));
await server.close();
