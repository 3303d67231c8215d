// The endpoint the launch-vector rows share (cekit-node, cekit-express, cekit-fastify): cekit's full
// pipeline for the signed-launch-request vector, bundled JP key (never fetched), a fixed answer.
import { createEndpoint, silentLogger } from 'cekit';

const ANSWER = {
  version: '1.0',
  sessionAttributes: {},
  response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
};

export function launchEndpoint() {
  return createEndpoint({
    dispatcher: { kinds: ['custom'], dispatch: () => ANSWER },
    verify: { keyUrl: false },
    extensionId: 'com.chens.morning',
    requestLog: false,
    logger: silentLogger,
  });
}
