/**
 * The acceptance test of redisStore: three extension processes behind a round-robin "load balancer"
 * share one real redis-server, and 300 concurrent requests for ONE user each count exactly once.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/servers.js';
import { spoken, startCluster, type HostKind } from '../helpers/store-cluster.js';

const REQUESTS = 300;
const PROCESSES = 3;

let server: RedisServer;
let inspector: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await startRedis();
  inspector = createClient({ url: server.url });
  inspector.on('error', () => undefined);
  await inspector.connect();
});

afterAll(async () => {
  await inspector?.quit().catch(() => undefined);
  await server?.destroy();
});

describe.each<HostKind>(['redis', 'ioredis'])(`redisStore shared by ${PROCESSES} processes (%s)`, (kind) => {
  it(
    `counts each of ${REQUESTS} concurrent requests for one user exactly once`,
    { timeout: 60_000 },
    async () => {
      const cluster = await startCluster(kind, server.url, { count: PROCESSES });
      try {
        const user = `U${randomUUID().replaceAll('-', '')}`;
        // The same burst without the store first: what signing, HTTP and the pipeline cost on their own.
        const peekStarted = performance.now();
        const peeks = await Promise.all(
          Array.from({ length: REQUESTS }, (_, i) => cluster.send(i, 'Peek', user)),
        );
        const peekElapsed = performance.now() - peekStarted;
        expect(peeks.map((reply) => reply.status)).toEqual(Array(REQUESTS).fill(200));

        const started = performance.now();
        const replies = await Promise.all(
          Array.from({ length: REQUESTS }, (_, i) => cluster.send(i, 'Count', user)),
        );
        const elapsed = performance.now() - started;

        expect(replies.map((reply) => reply.status)).toEqual(Array(REQUESTS).fill(200));
        const speeches = replies.map((reply) => spoken(reply.json));
        const counts = speeches.map((speech) => {
          expect(speech).toMatch(/^count \d+$/); // never the error fallback
          return Number(speech!.slice('count '.length));
        });
        expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: REQUESTS }, (_, i) => i + 1));
        expect(JSON.parse((await inspector.get(`cekit:user:{${user}}`))!)).toEqual({ count: REQUESTS });
        expect(await inspector.exists(`cekit:lock:{${user}}`)).toBe(0);
        expect(cluster.logs()).not.toMatch(/"level":"(warn|error)"/);
        const slowest = Math.max(...replies.map((reply) => reply.ms));
        console.log(
          `[${kind}] ${REQUESTS} requests for one user over ${PROCESSES} processes: ${Math.round(elapsed)} ms ` +
            `(${Math.round((REQUESTS / elapsed) * 1000)} req/s, slowest reply ${Math.round(slowest)} ms); ` +
            `the same burst of Peek (no store): ${Math.round(peekElapsed)} ms`,
        );
      } finally {
        await cluster.stop();
      }
    },
  );
});
