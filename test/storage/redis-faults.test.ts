/**
 * redisStore when Redis fails: down at start-up, going down mid-run, frozen, refusing the password.
 * Every case runs against a real redis-server and checks what a user hears (HTTP 200 with the error
 * fallback, within timeoutMs and a margin, never a 5xx), what an operator reads (one warning per
 * outage, one info line on recovery) and what is stored afterwards.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, type UserStore } from 'cekit';
import { redisStore, type RedisClientLike } from 'cekit/redis';
import { intentRequest, recordingLogger, send, speechOf, testExtension } from '../custom/harness.js';
import { startRedis, type RedisServer } from '../helpers/servers.js';

const TIMEOUT_MS = 300;
/** What a request may take beyond timeoutMs: the rest of the pipeline, on a busy test machine. */
const MARGIN_MS = 300;
const ERROR_SPEECH = 'すみません、エラーが発生しました。もう一度お試しください。';
const PASSWORD = 'right-password';
const DRIVERS = ['node-redis 6', 'ioredis'] as const;
type Driver = (typeof DRIVERS)[number];

const servers = new Map<string, RedisServer>();
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  const names = DRIVERS.flatMap((driver) => ['down', 'mid-run', 'slow', 'auth'].map((c) => `${c} ${driver}`));
  await Promise.all(
    names.map(async (name) => {
      servers.set(name, await startRedis(name.startsWith('auth') ? { password: PASSWORD } : {}));
    }),
  );
});

afterAll(async () => {
  for (const close of closers) await Promise.resolve(close()).catch(() => undefined);
  await Promise.all([...servers.values()].map((server) => server.destroy()));
});

/** A client that retries every 100 ms (the default backs off to 2 s: slow tests, same behaviour). */
function connect(driver: Driver, url: string): RedisClientLike {
  if (driver === 'ioredis') {
    const client = new Redis(url, { retryStrategy: () => 100 });
    closers.push(() => client.disconnect());
    return client;
  }
  const client = createClient({ url, socket: { reconnectStrategy: () => 100 } });
  void client.connect().catch(() => undefined); // the store reports the outage
  closers.push(() => client.destroy());
  return client;
}

/** Counts commits that failed with STORE_UNAVAILABLE: sent or not, their outcome is unknown. */
function watchingCommits(store: UserStore) {
  const watch = { unknownOutcome: 0 };
  const watched: UserStore = {
    maxBytes: store.maxBytes,
    async open(userId, options) {
      const record = await store.open(userId, options);
      return {
        json: record.json,
        release: () => record.release(),
        commit: (json) =>
          record.commit(json).catch((error: unknown) => {
            if (error instanceof StoreError && error.code === 'STORE_UNAVAILABLE') watch.unknownOutcome++;
            throw error;
          }),
      };
    },
  };
  return { watch, watched };
}

/** An extension counting per user (`Count`) or answering without attributes (`Peek`), on redisStore. */
function setUp(driver: Driver, url: string) {
  const logger = recordingLogger();
  const client = connect(driver, url);
  const store = redisStore<{ count: number }>({ client, timeoutMs: TIMEOUT_MS, logger });
  const { watch, watched } = watchingCommits(store);
  const app = testExtension<{ user: { count: number } }>({ storage: watched, logger });
  app.intent('Count', async (ctx) => {
    const user = await ctx.user.load();
    user.count = (user.count ?? 0) + 1;
    ctx.say(`count ${user.count}`);
  });
  app.intent('Peek', (ctx) => ctx.say('peek'));
  const ask = async (intent: 'Count' | 'Peek', userId: string) => {
    const message = intentRequest(intent);
    message.session.user.userId = userId;
    message.context.System.user.userId = userId;
    const started = performance.now();
    const { status, json } = await send(app, message);
    return { status, speech: String(speechOf(json).values.value), ms: performance.now() - started };
  };
  const levels = (level: string) => logger.entries.filter((entry) => entry.level === level);
  return { store, watch, ask, warnings: () => levels('warn'), infos: () => levels('info'), levels };
}

type Reply = Awaited<ReturnType<ReturnType<typeof setUp>['ask']>>;

/** A user's reply is right when it counts, or is the error fallback within the bound; never a 5xx. */
function expectAnsweredInTime(replies: Reply[]) {
  for (const reply of replies) {
    expect(reply.status).toBe(200);
    expect(reply.speech).toMatch(new RegExp(`^(count \\d+|${ERROR_SPEECH})$`));
    if (reply.speech === ERROR_SPEECH) expect(reply.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  }
}

/** Sends `Count` until one counts; returns how long that took. Fails after `ms`. */
async function untilCounting(
  ask: (intent: 'Count', user: string) => Promise<Reply>,
  user: string,
  ms = 5000,
) {
  const started = performance.now();
  for (;;) {
    const reply = await ask('Count', user);
    expectAnsweredInTime([reply]);
    if (reply.speech !== ERROR_SPEECH) return { took: performance.now() - started, reply };
    if (performance.now() - started > ms) throw new Error(`still the fallback after ${ms} ms`);
    await sleep(25);
  }
}

const someone = () => `U${randomUUID().replaceAll('-', '')}`;
const countOf = (reply: Reply) => Number(reply.speech.replace('count ', ''));

describe.each(DRIVERS)('redisStore faults with %s', (driver) => {
  it('Redis down at start-up: fallback in time, one warning, Peek unaffected, recovery by itself', async () => {
    const server = servers.get(`down ${driver}`)!;
    await server.stop();
    const { ask, warnings, infos, levels } = setUp(driver, server.url);
    const user = someone();

    const peeks = await Promise.all(Array.from({ length: 5 }, () => ask('Peek', user)));
    expect(peeks.map((reply) => reply.speech)).toEqual(Array(5).fill('peek'));
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ask('Count', i % 2 ? user : someone())),
    );
    const oneByOne = [];
    for (let i = 0; i < 3; i++) oneByOne.push(await ask('Count', user));
    for (const reply of [...burst, ...oneByOne]) expect(reply.speech).toBe(ERROR_SPEECH);
    expectAnsweredInTime([...burst, ...oneByOne]);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.message).toMatch(/redisStore does not answer/);

    await server.start();
    const { took, reply } = await untilCounting(ask, user);
    expect(reply.speech).toBe('count 1');
    console.log(
      `[${driver}] down at start-up: counting again ${Math.round(took)} ms after the server started`,
    );
    expect(infos().filter((entry) => /redisStore answers again/.test(entry.message))).toHaveLength(1);
    expect(warnings()).toHaveLength(1);
    expect(levels('error')).toEqual([]);
    expect((await ask('Count', user)).speech).toBe('count 2');
  });

  it('Redis going down mid-burst, then back: nothing lost, nothing counted twice, one warning', async () => {
    const server = servers.get(`mid-run ${driver}`)!;
    const { store, watch, ask, warnings, infos, levels } = setUp(driver, server.url);
    const user = someone();
    await untilCounting(ask, user); // connected
    const replies: Reply[] = [];
    let phase: 'before' | 'down' | 'after' = 'before';
    let running = true;
    const workers = Array.from({ length: 8 }, async () => {
      while (running) {
        const reply = await ask('Count', user);
        replies.push(reply);
        if (phase === 'down') await sleep(10); // a trickle while down, not a spin
      }
    });
    await until(() => replies.length >= 100);
    phase = 'down';
    await server.stop();
    await sleep(500);
    await server.start();
    phase = 'after';
    await until(() => replies.filter((r) => r.speech !== ERROR_SPEECH).length >= 200, 10_000);
    running = false;
    await Promise.all(workers);

    expectAnsweredInTime(replies);
    const counted = replies.filter((reply) => reply.speech !== ERROR_SPEECH).map(countOf);
    const fallbacks = replies.length - counted.length;
    expect(fallbacks).toBeGreaterThan(0);
    expect(new Set(counted).size).toBe(counted.length); // no count given twice
    const stored = (await store.get(user))!.count;
    const successes = counted.length + 1; // and the one that found the connection
    // Each success is stored; a commit whose reply was lost with the server may be stored too.
    expect(stored).toBeGreaterThanOrEqual(successes);
    expect(stored - successes).toBeLessThanOrEqual(watch.unknownOutcome);
    expect(Math.max(...counted)).toBe(stored);
    console.log(
      `[${driver}] mid-run: ${replies.length + 1} replies, ${successes} counted, ${fallbacks} fallbacks, ` +
        `stored ${stored}, ${watch.unknownOutcome} commit(s) of unknown outcome`,
    );
    expect(warnings()).toHaveLength(1);
    expect(infos().filter((entry) => /redisStore answers again/.test(entry.message))).toHaveLength(1);
    expect(levels('error')).toEqual([]);
  });

  it('Redis frozen (SIGSTOP): fallback in time; after SIGCONT a late ACQUIRE does not keep the user locked', async () => {
    const server = servers.get(`slow ${driver}`)!;
    const { store, ask, warnings, infos, levels } = setUp(driver, server.url);
    const user = someone();
    await untilCounting(ask, user);
    server.pause();
    try {
      const frozen = await Promise.all(
        Array.from({ length: 10 }, (_, i) => ask('Count', i % 2 ? user : someone())),
      );
      for (const reply of frozen) expect(reply.speech).toBe(ERROR_SPEECH);
      expectAnsweredInTime(frozen);
      expect(warnings()).toHaveLength(1);
    } finally {
      server.resume();
    }
    // The ACQUIRE sent while frozen runs now, taking the lock for the rest of a 6.5 s budget, unless
    // the undo queued behind it frees it: then the user counts again within one retry interval.
    const { took } = await untilCounting(ask, user, 2000);
    console.log(`[${driver}] frozen: counting again ${Math.round(took)} ms after SIGCONT`);
    expect(took).toBeLessThan(1000);
    await until(async () => (await store.get(user)) !== undefined);
    expect(infos().filter((entry) => /redisStore answers again/.test(entry.message))).toHaveLength(1);
    expect(warnings()).toHaveLength(1);
    expect(levels('error')).toEqual([]);
  });

  it('a wrong password: fallback in time, one warning, Peek unaffected, no crash', async () => {
    const server = servers.get(`auth ${driver}`)!;
    const { ask, warnings, levels } = setUp(driver, server.url.replace(PASSWORD, 'wrong-password'));
    const user = someone();
    expect((await ask('Peek', user)).speech).toBe('peek');
    const replies = await Promise.all(Array.from({ length: 10 }, () => ask('Count', someone())));
    for (let i = 0; i < 3; i++) replies.push(await ask('Count', user));
    for (const reply of replies) expect(reply.speech).toBe(ERROR_SPEECH);
    expectAnsweredInTime(replies);
    expect(warnings()).toHaveLength(1);
    expect(JSON.stringify(warnings()[0])).not.toContain('wrong-password');
    expect(levels('error')).toEqual([]);
  });
});

/** Polls `check` until it holds; fails after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(10);
  }
}
