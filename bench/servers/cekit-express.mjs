// cekit's full pipeline behind Express 5 through cekit/express: the adapter reads the raw stream
// itself (no body parser), then the same checks as cekit-node. Bundled JP key, never fetched.
import express from 'express';
import { silentLogger } from 'cekit';
import { launchEndpoint } from '../lib/launch-endpoint.mjs';
import { toExpressHandler } from 'cekit/express';

export const row = {
  name: 'cekit-express',
  description: 'cekit full pipeline via cekit/express on Express 5, bundled JP key',
  order: 30,
  payload: { vector: 'signed-launch-request' },
};

export async function start({ port }) {
  const endpoint = launchEndpoint();
  const app = express();
  app.post('/', toExpressHandler(endpoint, { logger: silentLogger }));
  const server = await new Promise((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}
