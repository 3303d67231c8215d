/**
 * The visit counter run as three instances sharing Redis, the way it runs behind a load balancer:
 *
 *   npx tsx examples/scale/main.ts
 *
 * Uses REDIS_URL when set, else starts a throwaway redis-server (it must be installed). Then starts
 * three instances (instance.ts, each its own process and port), sends them CEK-signed requests
 * round-robin, shows each instance continuing the count the others saved, sends 30 requests for one
 * user at once across all three (none is lost), deletes the user, and shuts everything down.
 */
import { randomUUID } from 'node:crypto';
import { createConversation, generateTestKeyPair } from 'cekit/testing';
import { roundRobin, startInstances, startRedisServer } from './cluster.js';

const EXTENSION_ID = 'com.example.visits';
const BURST = 30;

const keys = generateTestKeyPair(); // stands in for CEK's signing key
const redis = process.env.REDIS_URL
  ? { url: process.env.REDIS_URL, stop: async () => undefined }
  : await startRedisServer();
console.log(`Redis: ${redis.url}${process.env.REDIS_URL ? '' : ' (started for this run)'}`);

let instances: Awaited<ReturnType<typeof startInstances>> | undefined;
try {
  instances = await startInstances({ redisUrl: redis.url, publicKeyPem: keys.publicKeyPem, count: 3 });
  instances.names.forEach((name, i) => console.log(`instance ${name}: ${instances!.urls[i]}`));

  const balancer = roundRobin(instances.urls);
  const userId = `demo-${randomUUID()}`; // a user of our own, so a shared Redis keeps its other data
  const asUser = { target: balancer, keys, extensionId: EXTENSION_ID, locale: 'en-US', userId } as const;
  const cek = createConversation(asUser);

  console.log('\nOne user opens the extension six times; each request goes to the next instance:');
  for (let i = 1; i <= 6; i++) console.log(`  ${i}. ${(await cek.launch()).speech}`);

  console.log(`\n${BURST} requests for the same user at once, spread over the three instances:`);
  const replies = await Promise.all(Array.from({ length: BURST }, () => createConversation(asUser).launch()));
  const counts = replies.map((reply) => Number(/visit (\d+)/.exec(reply.speech)?.[1])).sort((a, b) => a - b);
  const expected = Array.from({ length: BURST }, (_, i) => i + 7);
  const exact = counts.every((count, i) => count === expected[i]);
  console.log(
    `  visits counted: ${counts[0]} to ${counts[counts.length - 1]}, ` +
      (exact ? 'each once: no update lost' : `NOT each once: ${counts.join(' ')}`),
  );

  await cek.event('ClovaSkill.SkillDisabled');
  console.log(`\nAfter ClovaSkill.SkillDisabled: ${(await cek.launch()).speech}`);
  await cek.event('ClovaSkill.SkillDisabled'); // leave nothing behind in a shared Redis
  if (!exact) process.exitCode = 1;
} finally {
  await instances?.stop();
  await redis.stop();
}
