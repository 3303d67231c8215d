import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore, silentLogger } from 'cekit';
import { redisStore } from 'cekit/redis';
import { createConversation, generateTestKeyPair } from 'cekit/testing';
import {
  roundRobin,
  startInstances,
  startRedisServer,
  type Instances,
} from '../../../examples/scale/cluster.js';
import { createVisitsExtension, type VisitsUser } from '../../../examples/scale/extension.js';
import { startRedis, type RedisServer } from '../../helpers/servers.js';

const keys = generateTestKeyPair();
const EXTENSION_ID = 'com.example.visits';

describe('examples/scale: three instance processes sharing one Redis', () => {
  let redis: RedisServer;
  let instances: Instances;
  const logs: string[] = [];
  let client: ReturnType<typeof createClient>;
  let store: ReturnType<typeof redisStore<VisitsUser>>;

  beforeAll(async () => {
    redis = await startRedis();
    instances = await startInstances({
      redisUrl: redis.url,
      publicKeyPem: keys.publicKeyPem,
      count: 3,
      onLog: (line) => logs.push(line),
    });
    client = createClient({ url: redis.url });
    await client.connect();
    store = redisStore<VisitsUser>({ client, logger: silentLogger });
  }, 60_000);

  afterAll(async () => {
    await instances?.stop();
    await client?.close();
    await redis?.destroy();
  });

  const userAt = (balancer = roundRobin(instances.urls), userId = `U${randomUUID()}`) => ({
    userId,
    talk: () =>
      createConversation({ target: balancer, keys, extensionId: EXTENSION_ID, locale: 'en-US', userId }),
  });

  it('each instance continues the count the one before saved', async () => {
    expect(instances.names).toEqual(['A', 'B', 'C']);
    const { userId, talk } = userAt();
    const cek = talk();
    const heard: string[] = [];
    for (let i = 0; i < 4; i++) heard.push((await cek.launch()).speech);
    expect(heard).toEqual([
      'Nice to meet you. Instance A answered.',
      'This is visit 2. Instance A answered last time, instance B now.',
      'This is visit 3. Instance B answered last time, instance C now.',
      'This is visit 4. Instance C answered last time, instance A now.',
    ]);
    // What the instances left in Redis, read by this (fourth) process.
    expect(await store.get(userId)).toEqual({ visits: 4, servedBy: 'A' });
  });

  it('counts each of 30 simultaneous requests for one user once, across the instances', async () => {
    const { userId, talk } = userAt();
    const replies = await Promise.all(Array.from({ length: 30 }, () => talk().launch()));
    const counts = replies.map((reply) => Number(/visit (\d+)/.exec(reply.speech)?.[1] ?? 1));
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await store.get(userId))?.visits).toBe(30);
  });

  it('deletes the user on ClovaSkill.SkillDisabled, whichever instance gets it', async () => {
    const { userId, talk } = userAt();
    const cek = talk();
    await cek.launch(); // A saves
    await cek.event('ClovaSkill.SkillDisabled'); // B deletes
    expect(await store.get(userId)).toBeUndefined();
    expect(await client.keys(`cekit:*${userId}*`)).toEqual([]); // no lock left either
    expect((await cek.launch()).speech).toBe('Nice to meet you. Instance C answered.');
  });

  it('logged no warning or error', () => {
    expect(logs).toEqual([]);
  });
});

describe('examples/scale: the pieces', () => {
  it('the extension speaks Japanese by default and keeps its count in any store', async () => {
    const storage = memoryStore<VisitsUser>();
    const app = createVisitsExtension({
      storage,
      instance: 'X',
      verify: keys.verifyOptions,
      logger: silentLogger,
      requestLog: false,
    });
    const cek = createConversation({ target: app, keys, extensionId: EXTENSION_ID, userId: 'U1' });
    expect((await cek.launch()).speech).toBe('はじめまして。インスタンスXがお答えしました。');
    expect((await cek.launch()).speech).toBe(
      '2回目のご利用です。前回はインスタンスX、今回はXがお答えしました。',
    );
    expect(await storage.get('U1')).toEqual({ visits: 2, servedBy: 'X' });
  });

  it('startRedisServer() starts a redis-server that answers, and stops it', async () => {
    const server = await startRedisServer();
    const probe = createClient({ url: server.url });
    probe.on('error', () => undefined);
    await probe.connect();
    expect(await probe.ping()).toBe('PONG');
    probe.destroy();
    await server.stop();
    const again = createClient({ url: server.url, socket: { reconnectStrategy: false } });
    again.on('error', () => undefined);
    await expect(again.connect()).rejects.toThrow();
  });
});
