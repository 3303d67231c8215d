// The official-sdk row with its import changed to cekit/clova-sdk (the built package): the same
// Express 4 app, Middleware({ applicationId }) and skill.handle(), the same LaunchRequest handler.
// The middleware runs cekit's endpoint: SignatureCEK over the raw bytes with the bundled JP key (the
// key the SDK embeds), JSON and message checks, applicationId, then the handler, then the JSON answer.
import clova from 'cekit/clova-sdk';
import { listen, sdkLaunchApp } from '../lib/sdk-launch-app.mjs';

export const row = {
  name: 'clova-sdk-shim',
  description: 'cekit/clova-sdk (the official SDK API on cekit) + Express 4 + its Middleware',
  order: 25,
  compareTo: 'official-sdk',
  target: 4,
  payload: { vector: 'signed-launch-request' },
};

export async function start({ port }) {
  // Two options the SDK does not have, as every cekit row sets them: no request log line per request
  // (the SDK logs nothing on success), and the bundled JP key only, never downloaded (the SDK embeds
  // that key; by default cekit would also refresh it from CEK's key URL in the background).
  return listen(sdkLaunchApp(clova, { requestLog: false, verify: { keyUrl: false } }), port);
}
