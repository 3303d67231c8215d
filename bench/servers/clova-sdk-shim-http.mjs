// The clova-sdk-shim row's skill without Express: `skill.handle()` served by node:http directly,
// verifying by itself (`Client.configureSkill({ applicationId })`). The SDK could not run without
// Express; the shim can. Compared with official-sdk too, it shows how much of clova-sdk-shim's cost
// is Express 4's own: the gap between the two shim rows.
import { createServer } from 'node:http';
import clova from 'cekit/clova-sdk';
import { APPLICATION_ID, launchSkill } from '../lib/sdk-launch-app.mjs';

export const row = {
  name: 'clova-sdk-shim-http',
  description: 'cekit/clova-sdk skill.handle() on node:http, no Express (verifies by itself)',
  order: 26,
  compareTo: 'official-sdk',
  payload: { vector: 'signed-launch-request' },
};

export async function start({ port }) {
  const handler = launchSkill(clova, {
    applicationId: APPLICATION_ID,
    requestLog: false,
    verify: { keyUrl: false },
  }).handle();
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}
