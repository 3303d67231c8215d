// cekit's full pipeline through cekit/node: method, media type, size, SignatureCEK over the raw
// bytes with the bundled JP key (never fetched: keyUrl false), UTF-8 + JSON checks, message kind,
// applicationId, dispatch, serialisation. Request logging is off, as it would be under load.
import { launchEndpoint } from '../lib/launch-endpoint.mjs';
import { serve } from 'cekit/node';

export const row = {
  name: 'cekit-node',
  description: 'cekit full pipeline via cekit/node (serve), bundled JP key',
  order: 10,
  compareTo: 'baseline',
  target: 0.9,
  payload: { vector: 'signed-launch-request' },
};

export async function start({ port }) {
  const endpoint = launchEndpoint();
  return serve(endpoint, { port, host: '127.0.0.1', handleSignals: false });
}
