// cekit's full pipeline on Fastify 5 through the cekit/fastify plugin (its own buffer parser in an
// encapsulated scope), same checks as cekit-node. Target: >= 0.95x fastify-baseline.
import Fastify from 'fastify';
import { launchEndpoint } from '../lib/launch-endpoint.mjs';
import { cekitFastify } from 'cekit/fastify';

export const row = {
  name: 'cekit-fastify',
  description: 'cekit full pipeline via the cekit/fastify plugin on Fastify 5, bundled JP key',
  order: 41,
  compareTo: 'fastify-baseline',
  target: 0.95,
  payload: { vector: 'signed-launch-request' },
};

export async function start({ port }) {
  const endpoint = launchEndpoint();
  const app = Fastify();
  await app.register(cekitFastify, { extension: endpoint, path: '/' });
  await app.listen({ port, host: '127.0.0.1' });
  return { close: () => app.close() };
}
