// The cekit-store-memory work with redisStore on a local redis-server (started here, node-redis
// client): per request one round trip takes the user's lock and reads the value, one writes it and
// frees the lock. Target: the extension process spends at most 1.3x the CPU time per request of
// the memoryStore row (Redis's own CPU time is not counted: it runs in its own process).
import { counterPayload, serveCounter } from '../lib/counter.mjs';
import { startRedisServer } from '../lib/redis-server.mjs';

export const row = {
  name: 'cekit-store-redis',
  description: 'the cekit-store-memory row on redisStore (node-redis, local redis-server)',
  order: 17,
  payload: counterPayload,
  compareTo: 'cekit-store-memory',
  cpuTarget: 1.3,
};

export async function start({ port, publicKeyPem }) {
  const [{ createClient }, { redisStore }] = await Promise.all([import('redis'), import('cekit/redis')]);
  const server = await startRedisServer();
  const client = createClient({ url: server.url });
  await client.connect();
  const running = await serveCounter({ port, publicKeyPem, storage: redisStore({ client }) });
  return {
    close: async () => {
      await running.close();
      await client.quit();
      await server.stop();
    },
  };
}
