// The practical limit on this runtime: bare node:http, one crypto.verify with a key object prepared
// once, JSON.parse, a fixed JSON answer. No routing, no checks beyond the signature.
import { startBare } from '../lib/bare.mjs';
import { JP_KEY_PEM } from '../lib/vector.mjs';

export const row = {
  name: 'baseline',
  description: 'bare node:http + crypto.verify (prepared KeyObject) + JSON.parse + fixed answer',
  order: 0,
  payload: { vector: 'signed-launch-request' },
};

const ANSWER = JSON.stringify({
  version: '1.0',
  sessionAttributes: {},
  response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
});

export function start({ port }) {
  return startBare({ port, publicKeyPem: JP_KEY_PEM, answer: () => ANSWER });
}
