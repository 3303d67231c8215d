import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createClient as createClient4 } from 'redis4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, silentLogger, type UserStore } from 'cekit';
import { redisStore, type RedisClientLike, type RedisStoreOptions } from 'cekit/redis';
import { storeConformance } from 'cekit/testing';
import { intentRequest, send, speechOf, testExtension } from '../custom/harness.js';
import { startRedis, type RedisServer } from '../helpers/servers.js';

const ERROR_SPEECH = 'すみません、エラーが発生しました。もう一度お試しください。';
const DRIVERS = ['node-redis 6', 'node-redis 4', 'ioredis'] as const;
type Driver = (typeof DRIVERS)[number];

let server: RedisServer;
/** Reads and writes keys behind the store's back, to check what it really stored. */
let raw: (...args: string[]) => Promise<unknown>;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  server = await startRedis();
  const inspector = createClient({ url: server.url });
  inspector.on('error', () => undefined);
  await inspector.connect();
  raw = (...args) => inspector.sendCommand(args);
  closers.push(() => inspector.quit());
});

afterAll(async () => {
  await Promise.all(closers.map((close) => close().catch(() => undefined)));
  await server?.destroy();
});

/** A connected client of `driver`, closed after the file. */
async function connect(driver: Driver): Promise<RedisClientLike> {
  if (driver === 'ioredis') {
    const client = new Redis(server.url);
    closers.push(() => client.quit());
    return client;
  }
  const client =
    driver === 'node-redis 6' ? createClient({ url: server.url }) : createClient4({ url: server.url });
  client.on('error', () => undefined); // until the store attaches its own listener
  await client.connect();
  closers.push(() => client.quit());
  return client;
}

/** A user id no other test uses. */
const someone = () => `U${randomUUID().replaceAll('-', '')}`;

/** The intent-request fixture for `userId` (the speaking user and the device owner). */
function requestFor(intent: string, userId: string) {
  const message = intentRequest(intent);
  message.session.user.userId = userId;
  message.context.System.user.userId = userId;
  return message;
}

function counter(storage: UserStore) {
  const app = testExtension<{ user: { count: number } }>({ storage });
  app.intent('Count', async (ctx) => {
    const user = await ctx.user.load();
    user.count = (user.count ?? 0) + 1;
    ctx.say(`count ${user.count}`);
  });
  return app;
}

const spoken = (json: unknown) => String(speechOf(json).values.value);
const hold = (ms = 5000) => ({ signal: AbortSignal.timeout(ms), holdMs: ms });

describe.each(DRIVERS)('redisStore with %s', (driver) => {
  let client: RedisClientLike;
  let store: ReturnType<typeof redisStore<{ count?: number; n?: number }>>;
  beforeAll(async () => {
    client = await connect(driver);
    store = redisStore({ client, logger: silentLogger });
  });

  it('loads and saves through an extension, as JSON at cekit:user:{id}, leaving no lock behind', async () => {
    const user = someone();
    const app = counter(store);
    for (const expected of ['count 1', 'count 2', 'count 3'])
      expect(spoken((await send(app, requestFor('Count', user))).json)).toBe(expected);
    expect(await raw('GET', `cekit:user:{${user}}`)).toBe('{"count":3}');
    expect(await raw('EXISTS', `cekit:lock:{${user}}`)).toBe(0);
    expect(await store.get(user)).toEqual({ count: 3 });
    expect(await raw('PTTL', `cekit:user:{${user}}`)).toBe(-1); // no ttlSeconds: never expires
  });

  it('opens, commits, deletes and releases directly', async () => {
    const user = someone();
    const first = await store.open(user, hold());
    expect(first.json).toBeUndefined();
    expect(await raw('PTTL', `cekit:lock:{${user}}`)).toBeGreaterThan(4000); // the lease is holdMs
    await first.commit('{"n":1}');
    const second = await store.open(user, hold());
    expect(second.json).toBe('{"n":1}');
    await second.release();
    await expect(second.commit('{"n":2}')).rejects.toThrow(/already committed or released/);
    const third = await store.open(user, hold());
    await third.commit(undefined);
    expect(await raw('EXISTS', `cekit:user:{${user}}`, `cekit:lock:{${user}}`)).toBe(0);
  });

  it('makes a second holder (another process) wait until the first commits, then read its value', async () => {
    const user = someone();
    const other = redisStore({ client: await connect(driver), logger: silentLogger });
    const first = await store.open(user, hold());
    let opened = false;
    const waiting = other.open(user, hold()).then((record) => ((opened = true), record));
    await sleep(50);
    expect(opened).toBe(false);
    await first.commit('{"n":1}');
    const second = await waiting;
    expect(second.json).toBe('{"n":1}');
    await second.release();
  });

  it('gives up with STORE_LOCK_TIMEOUT when the other holder keeps the user past the wait', async () => {
    const user = someone();
    const other = redisStore({ client: await connect(driver), logger: silentLogger });
    const first = await store.open(user, hold());
    const started = performance.now();
    await expect(other.open(user, { signal: AbortSignal.timeout(100), holdMs: 1000 })).rejects.toMatchObject({
      code: 'STORE_LOCK_TIMEOUT',
    });
    expect(performance.now() - started).toBeLessThan(400);
    await first.release();
    await (await other.open(user, hold())).release();
  });

  it('hands the user to the next request of this process within the commit: one round trip each', async () => {
    const user = someone();
    const first = await store.open(user, hold());
    await raw('CONFIG', 'RESETSTAT');
    const waiting = store.open(user, hold());
    await first.commit('{"n":1}');
    const second = await waiting;
    expect(second.json).toBe('{"n":1}');
    expect(await raw('PTTL', `cekit:lock:{${user}}`)).toBeGreaterThan(4000); // locked for the second
    const third = store.open(user, hold());
    await second.release(); // a release hands over too, with what is stored
    const last = await third;
    expect(last.json).toBe('{"n":1}');
    await last.commit('{"n":3}');
    expect(await scriptCalls()).toBe(3); // commit, release, commit: no ACQUIRE for a handed-over user
    expect(await raw('EXISTS', `cekit:lock:{${user}}`)).toBe(0);
    expect(await raw('GET', `cekit:user:{${user}}`)).toBe('{"n":3}');
  });

  it('skips a request that stops waiting, even mid-hand-over: the next one gets the user', async () => {
    const user = someone();
    const first = await store.open(user, hold());
    const quitter = new AbortController();
    const gone = store.open(user, { signal: quitter.signal, holdMs: 5000 });
    const third = store.open(user, hold());
    const committed = first.commit('{"n":1}'); // takes `gone` out of the line to hand it the lock...
    quitter.abort(); // ...which stops waiting before the answer comes
    await expect(gone).rejects.toMatchObject({ code: 'STORE_LOCK_TIMEOUT' });
    await committed;
    const next = await third;
    expect(next.json).toBe('{"n":1}');
    await next.commit('{"n":2}');
    expect(await raw('EXISTS', `cekit:lock:{${user}}`)).toBe(0);
    expect(await raw('GET', `cekit:user:{${user}}`)).toBe('{"n":2}');
  });

  it('refuses a commit after the lease expired and another holder took the user: STORE_LOCK_LOST, no overwrite', async () => {
    const user = someone();
    const late = await store.open(user, { signal: AbortSignal.timeout(5000), holdMs: 50 });
    await until(async () => (await raw('EXISTS', `cekit:lock:{${user}}`)) === 0);
    const other = redisStore({ client: await connect(driver), logger: silentLogger });
    const next = await other.open(user, hold());
    const lost = late.commit('{"n":1}');
    await expect(lost).rejects.toBeInstanceOf(StoreError);
    await expect(lost).rejects.toMatchObject({ code: 'STORE_LOCK_LOST' });
    expect(await raw('GET', `cekit:lock:{${user}}`)).not.toBeNull(); // the next holder's lock is intact
    await next.commit('{"n":2}');
    expect(await raw('GET', `cekit:user:{${user}}`)).toBe('{"n":2}');
  });

  it('after a commit refused for an expired lease, the next request of this process takes the user itself', async () => {
    const user = someone();
    const late = await store.open(user, { signal: AbortSignal.timeout(5000), holdMs: 50 });
    const waiting = store.open(user, hold());
    await until(async () => (await raw('EXISTS', `cekit:lock:{${user}}`)) === 0);
    const other = redisStore({ client: await connect(driver), logger: silentLogger });
    await other.set(user, { n: 7 });
    await expect(late.commit('{"n":1}')).rejects.toMatchObject({ code: 'STORE_LOCK_LOST' });
    const next = await waiting;
    expect(next.json).toBe('{"n":7}');
    await next.commit('{"n":8}');
    expect(await raw('GET', `cekit:user:{${user}}`)).toBe('{"n":8}');
  });

  it('refuses a commit after the lease expired even when nobody took the user, writing nothing', async () => {
    const user = someone();
    const late = await store.open(user, { signal: AbortSignal.timeout(5000), holdMs: 30 });
    await until(async () => (await raw('EXISTS', `cekit:lock:{${user}}`)) === 0);
    await expect(late.commit('{"n":1}')).rejects.toMatchObject({ code: 'STORE_LOCK_LOST' });
    expect(await raw('EXISTS', `cekit:user:{${user}}`)).toBe(0);
    await (await store.open(user, hold())).release(); // and the user is free
  });

  it('reloads its scripts after SCRIPT FLUSH (NOSCRIPT)', async () => {
    const user = someone();
    const app = counter(store);
    expect(spoken((await send(app, requestFor('Count', user))).json)).toBe('count 1');
    await raw('SCRIPT', 'FLUSH');
    expect(spoken((await send(app, requestFor('Count', user))).json)).toBe('count 2');
    const record = await store.open(user, hold());
    await raw('SCRIPT', 'FLUSH');
    await record.commit('{"count":7}');
    await raw('SCRIPT', 'FLUSH');
    await (await store.open(user, hold())).release();
    expect(await raw('EXISTS', `cekit:lock:{${user}}`)).toBe(0);
    expect(await store.get(user)).toEqual({ count: 7 });
  });

  it('counts every one of 200 concurrent requests for one user in one process', async () => {
    const user = someone();
    const app = counter(store);
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => send(app, requestFor('Count', user))),
    );
    const counts = replies.map(({ json }) => Number(spoken(json).replace('count ', '')));
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await store.get(user)).toEqual({ count: 200 });
  });

  it('restarts the expiry on every load and save when ttlSeconds is set', async () => {
    const user = someone();
    const expiring = redisStore({ client, ttlSeconds: 60, logger: silentLogger });
    await expiring.set(user, { n: 1 });
    const key = `cekit:user:{${user}}`;
    expect(await raw('PTTL', key)).toBeGreaterThan(59_000);
    await raw('PEXPIRE', key, '5000');
    await (await expiring.open(user, hold())).release(); // a load without a save
    expect(await raw('PTTL', key)).toBeGreaterThan(59_000);
    await raw('PEXPIRE', key, '5000');
    await send(counter(expiring), requestFor('Count', user));
    expect(await raw('PTTL', key)).toBeGreaterThan(59_000);
    expect(await raw('GET', key)).toBe('{"n":1,"count":1}');
    // A load handed over by a release restarts it too.
    const first = await expiring.open(user, hold());
    const handed = expiring.open(user, hold());
    await raw('PEXPIRE', key, '5000');
    await first.release();
    await (await handed).release();
    expect(await raw('PTTL', key)).toBeGreaterThan(59_000);
  });
});

describe('redisStore keys', () => {
  let client: RedisClientLike;
  beforeAll(async () => {
    client = await connect('node-redis 6');
  });

  it('uses the prefix for both keys; stores with different prefixes never see each other', async () => {
    const user = someone();
    const one = redisStore({ client, prefix: 'app1:', logger: silentLogger });
    const two = redisStore({ client, prefix: '', logger: silentLogger });
    await one.set(user, { n: 1 });
    await two.set(user, { n: 2 });
    expect(await raw('GET', `app1:user:{${user}}`)).toBe('{"n":1}');
    expect(await raw('GET', `user:{${user}}`)).toBe('{"n":2}');
    expect(await raw('EXISTS', `cekit:user:{${user}}`)).toBe(0);
    const held = await one.open(user, hold());
    expect(await raw('EXISTS', `app1:lock:{${user}}`)).toBe(1);
    await (await two.open(user, hold())).release(); // another prefix: another lock
    await held.release();
  });

  it('keeps ids that look like keys, locks, code or nothing isolated, stored as given', async () => {
    const prefix = `iso${randomUUID().slice(0, 8)}:`;
    const store = redisStore<{ i: number }>({ client, prefix, logger: silentLogger });
    const ids = [
      '__proto__',
      'constructor',
      'a}b{c',
      '{x}',
      'x:lock',
      'lock:{x}',
      'x',
      "'; DROP TABLE users; --",
    ];
    ids.push('🎉👩‍👩‍👧', '', ' ', '\u0000', 'x\r\nDEL *', `${prefix}user:{x}`);
    await Promise.all(ids.map((id, i) => store.set(id, { i })));
    for (const [i, id] of ids.entries()) expect(await store.get(id)).toEqual({ i });
    const keys = (await raw('KEYS', `${prefix}*`)) as string[];
    expect(keys.sort()).toEqual(ids.map((id) => `${prefix}user:{${id}}`).sort());
    // Holding one user never blocks another, however alike their ids.
    const held = await Promise.all(ids.map((id) => store.open(id, hold(1000))));
    expect(held.map((record) => JSON.parse(record.json!).i)).toEqual(ids.map((_, i) => i));
    await Promise.all(held.map((record) => record.release()));
    await Promise.all(ids.map((id) => store.delete(id)));
    expect(await raw('KEYS', `${prefix}*`)).toEqual([]);
  });
});

describe('redisStore refuses what it cannot store, writing nothing', () => {
  let store: ReturnType<typeof redisStore>;
  beforeAll(async () => {
    store = redisStore({ client: await connect('node-redis 6'), maxBytes: 100, logger: silentLogger });
  });

  it.each([
    ['too large', { big: 'x'.repeat(200) }, 'STORE_VALUE_TOO_LARGE'],
    ['not JSON', { when: new Date() }, 'STORE_VALUE_INVALID'],
  ])('a value %s, set directly', async (_, value, code) => {
    const user = someone();
    await store.set(user, { n: 1 });
    await expect(store.set(user, value)).rejects.toMatchObject({ code });
    expect(await raw('GET', `cekit:user:{${user}}`)).toBe('{"n":1}');
    expect(await raw('EXISTS', `cekit:lock:{${user}}`)).toBe(0);
  });

  it.each([
    ['too large', (user: Record<string, unknown>) => (user.big = 'x'.repeat(200))],
    ['not JSON', (user: Record<string, unknown>) => (user.when = new Date())],
  ])(
    'a value %s, saved by a handler: the error fallback, and the user is free at once',
    async (_, change) => {
      const user = someone();
      await store.set(user, { n: 1 });
      const app = testExtension({ storage: store });
      app.intent('Change', async (ctx) => {
        change(await ctx.user.load());
        ctx.say('changed');
      });
      expect(spoken((await send(app, requestFor('Change', user))).json)).toBe(ERROR_SPEECH);
      expect(await raw('GET', `cekit:user:{${user}}`)).toBe('{"n":1}');
      const started = performance.now();
      await (await store.open(user, hold())).release();
      expect(performance.now() - started).toBeLessThan(100);
    },
  );
});

describe('redisStore options', () => {
  let client: RedisClientLike;
  beforeAll(async () => {
    client = await connect('node-redis 6');
  });

  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /options object/],
    ['no client', {}, /`client` must be a node-redis client .* or an ioredis client.*got undefined/],
    ['a plain object', { client: {} }, /got an object/],
    ['a URL', { client: 'redis://localhost' }, /got a string/],
    ['a client of neither kind', { client: new Map() }, /got a Map/],
  ])('throws a TypeError for %s', (_, options, message) => {
    expect(() => redisStore(options as RedisStoreOptions)).toThrow(TypeError);
    expect(() => redisStore(options as RedisStoreOptions)).toThrow(message);
  });

  it.each<[string, Partial<RedisStoreOptions>, RegExp]>([
    ['a prefix with a brace', { prefix: 'app{1}:' }, /`prefix` must be a string without `\{` or `\}`/],
    ['a prefix not a string', { prefix: 1 as never }, /`prefix`/],
    ['ttlSeconds 0', { ttlSeconds: 0 }, /`ttlSeconds` must be a positive number/],
    ['ttlSeconds negative', { ttlSeconds: -5 }, /`ttlSeconds`/],
    ['ttlSeconds as text', { ttlSeconds: '60' as never }, /`ttlSeconds`/],
    ['ttlSeconds too large', { ttlSeconds: 1e300 }, /`ttlSeconds`/],
    ['timeoutMs 0', { timeoutMs: 0 }, /`timeoutMs` must be a positive number/],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }, /`timeoutMs`/],
    ['timeoutMs past a timer', { timeoutMs: 2 ** 31 }, /`timeoutMs`/],
    ['maxBytes 0', { maxBytes: 0 }, /`maxBytes`/],
    ['a logger without warn', { logger: { info() {} } as never }, /`logger`/],
  ])('throws a TypeError for %s', (_, options, message) => {
    expect(() => redisStore({ client, ...options })).toThrow(TypeError);
    expect(() => redisStore({ client, ...options })).toThrow(message);
  });

  it('accepts every driver, sets maxBytes, and adds get/set/delete', () => {
    const store = redisStore({ client, maxBytes: 1234, logger: silentLogger });
    expect(store.maxBytes).toBe(1234);
    expect(redisStore({ client, logger: silentLogger }).maxBytes).toBe(64 * 1024);
    expect(typeof store.get).toBe('function');
    expect(typeof store.set).toBe('function');
    expect(typeof store.delete).toBe('function');
  });
});

/** How many scripts (EVALSHA and EVAL) the server ran since the last CONFIG RESETSTAT. */
async function scriptCalls(): Promise<number> {
  const info = String(await raw('INFO', 'commandstats'));
  return [...info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 2000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(5);
  }
}

describe('redisStore: the store conformance kit (cekit/testing)', () => {
  // Each check gets stores over two clients of one server: two processes, as far as Redis can tell.
  for (const driver of DRIVERS)
    describe(driver, () => {
      const prefix = `conformance-${driver.replaceAll(' ', '-')}:`;
      for (const check of storeConformance(
        async () => redisStore({ client: await connect(driver), prefix, logger: silentLogger }),
        { crossProcess: true },
      ))
        it(check.name, check.run);
    });
});
