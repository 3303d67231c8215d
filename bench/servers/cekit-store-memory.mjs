// The counting extension (bench/lib/counter.mjs) on memoryStore: user attributes loaded, changed and
// saved in every request, in this process. The reference for cekit-store-redis.
import { memoryStore } from 'cekit';
import { counterPayload, serveCounter } from '../lib/counter.mjs';

export const row = {
  name: 'cekit-store-memory',
  description: 'createExtension: IntentRequest loading + saving a per-user counter in memoryStore (5 users)',
  order: 16,
  payload: counterPayload,
};

export function start({ port, publicKeyPem }) {
  return serveCounter({ port, publicKeyPem, storage: memoryStore() });
}
