import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { keyValueStore, memoryStore, StoreError, type UserStore } from 'cekit';
import { countingStore } from '../helpers/counting-store.js';
import { intentRequest, recordingLogger, send, speechOf, testExtension } from '../custom/harness.js';

/** The user id of the intent-request fixture. */
const USER = 'U399a1e08a8d474521fc4bbd8c7b4148f';
const ERROR_SPEECH = 'すみません、エラーが発生しました。もう一度お試しください。';
const TIMEOUT_SPEECH = 'すみません、時間内にお答えできませんでした。もう一度お試しください。';

type Counter = { user: { count: number } };

function counterApp(storage: UserStore, options: { holdMs?: number; responseBudgetMs?: number } = {}) {
  const logger = recordingLogger();
  const app = testExtension<Counter>({ storage, logger, responseBudgetMs: options.responseBudgetMs });
  app.intent('Count', async (ctx) => {
    const user = await ctx.user.load();
    user.count = (user.count ?? 0) + 1;
    if (options.holdMs) await sleep(options.holdMs);
    ctx.say(`count ${user.count}`);
  });
  return { app, logger };
}

describe('user attributes: one request at a time per user', () => {
  it('counts every one of 200 concurrent requests for one user (memoryStore)', async () => {
    const store = memoryStore<{ count: number }>();
    const { app } = counterApp(store);
    const replies = await Promise.all(Array.from({ length: 200 }, () => send(app, intentRequest('Count'))));
    const counts = replies.map(({ json }) => Number(String(speechOf(json).values.value).split(' ')[1]));
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await store.get(USER)).toEqual({ count: 200 });
  });

  it('writes nothing when the handler fails, and lets the next request in', async () => {
    const store = memoryStore<{ count: number }>();
    const app = testExtension<Counter>({ storage: store });
    let fail = true;
    app.intent('Count', async (ctx) => {
      const user = await ctx.user.load();
      user.count = (user.count ?? 0) + 1;
      if (fail) throw new Error('boom');
      ctx.say(`count ${user.count}`);
    });
    const failed = await send(app, intentRequest('Count'));
    expect(speechOf(failed.json).values.value).toBe(ERROR_SPEECH);
    expect(await store.get(USER)).toBeUndefined();
    fail = false;
    const next = await send(app, intentRequest('Count'));
    expect(speechOf(next.json).values.value).toBe('count 1');
  });

  it('lets go of the user when a handler hangs past the budget, writing nothing', async () => {
    const store = memoryStore<{ count: number }>();
    const app = testExtension<Counter>({ storage: store, responseBudgetMs: 100 });
    let hang = true;
    app.intent('Count', async (ctx) => {
      const user = await ctx.user.load();
      user.count = (user.count ?? 0) + 1;
      if (hang) await new Promise(() => undefined); // never settles
      ctx.say(`count ${user.count}`);
    });
    const hung = await send(app, intentRequest('Count'));
    expect(speechOf(hung.json).values.value).toBe(TIMEOUT_SPEECH);
    hang = false;
    const started = performance.now();
    const next = await send(app, intentRequest('Count'));
    expect(speechOf(next.json).values.value).toBe('count 1');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('answers with the error fallback, before the budget, when another request holds the user too long', async () => {
    const store = memoryStore<{ count: number }>();
    const { app, logger } = counterApp(store, { holdMs: 900, responseBudgetMs: 700 });
    const first = send(app, intentRequest('Count'));
    await sleep(20);
    const started = performance.now();
    const second = await send(app, intentRequest('Count'));
    const took = performance.now() - started;
    // The waiter gives up 500 ms before its 700 ms budget, in time for the extension's own answer.
    expect(speechOf(second.json).values.value).toBe(ERROR_SPEECH);
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(650);
    expect(logger.entries.find((entry) => entry.level === 'error')?.fields).toMatchObject({
      errorCode: 'STORE_LOCK_TIMEOUT',
    });
    await first; // past its own budget: the timeout fallback, and its change is not written
    expect(await store.get(USER)).toBeUndefined();
  });

  it('lets app.catch() answer a StoreError in its own words', async () => {
    const down: UserStore = {
      open: async () => {
        throw new StoreError('STORE_UNAVAILABLE', 'the database is down');
      },
    };
    const logger = recordingLogger();
    const app = testExtension<Counter>({ storage: down, logger });
    app.intent('Count', async (ctx) => {
      await ctx.user.load();
      ctx.say('unreachable');
    });
    app.catch((error, ctx) => {
      if (error instanceof StoreError) ctx.say('I cannot remember right now.');
    });
    const { json } = await send(app, intentRequest('Count'));
    expect(speechOf(json).values.value).toBe('I cannot remember right now.');
    // An outage is the store's to report once; it is not logged as an error per request.
    expect(logger.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});

describe('user attributes: what is written', () => {
  it('refuses a value JSON would not keep, naming the part, and writes nothing', async () => {
    const store = memoryStore<Record<string, unknown>>();
    await store.set(USER, { count: 1 });
    const logger = recordingLogger();
    const app = testExtension<{ user: Record<string, unknown> }>({ storage: store, logger });
    app.intent('Count', async (ctx) => {
      const user = await ctx.user.load();
      user.count = 2;
      user.when = new Date(0);
      ctx.say('ok');
    });
    const { json } = await send(app, intentRequest('Count'));
    expect(speechOf(json).values.value).toBe(ERROR_SPEECH);
    expect(await store.get(USER)).toEqual({ count: 1 });
    const error = logger.entries.find((entry) => entry.level === 'error');
    expect(error?.fields).toMatchObject({ errorCode: 'STORE_VALUE_INVALID' });
    expect(String(error?.fields?.error)).toContain('$.when is a Date');
  });

  it.each([
    ['a function', () => () => 1, '$.value is a function'],
    ['NaN', () => Number.NaN, '$.value is NaN'],
    ['a Map', () => new Map(), '$.value is a Map'],
    ['a bigint', () => 1n, '$.value is a bigint'],
    ['a cycle', () => ({}) as Record<string, unknown>, 'a cycle'],
    ['a sparse array', () => new Array<unknown>(2), '$.value[0] is a hole'],
  ])('refuses %s', async (_name, make, message) => {
    const store = memoryStore<Record<string, unknown>>();
    const logger = recordingLogger();
    const app = testExtension<{ user: Record<string, unknown> }>({ storage: store, logger });
    app.intent('Count', async (ctx) => {
      const user = await ctx.user.load();
      const value = make();
      if (message === 'a cycle') (value as Record<string, unknown>).self = value;
      user.value = value;
      ctx.say('ok');
    });
    const { json } = await send(app, intentRequest('Count'));
    expect(speechOf(json).values.value).toBe(ERROR_SPEECH);
    expect(await store.get(USER)).toBeUndefined();
    expect(String(logger.entries.find((entry) => entry.level === 'error')?.fields?.error)).toContain(message);
  });

  it('refuses a value over maxBytes and keeps the previous one', async () => {
    const store = memoryStore<{ notes: string }>({ maxBytes: 100 });
    await store.set(USER, { notes: 'short' });
    const logger = recordingLogger();
    const app = testExtension<{ user: { notes: string } }>({ storage: store, logger });
    app.intent('Count', async (ctx) => {
      const user = await ctx.user.load();
      user.notes = 'ノート'.repeat(30); // 90 characters, 270 bytes of UTF-8
      ctx.say('ok');
    });
    const { json } = await send(app, intentRequest('Count'));
    expect(speechOf(json).values.value).toBe(ERROR_SPEECH);
    expect(await store.get(USER)).toEqual({ notes: 'short' });
    expect(logger.entries.find((entry) => entry.level === 'error')?.fields).toMatchObject({
      errorCode: 'STORE_VALUE_TOO_LARGE',
    });
    await expect(store.set(USER, { notes: 'x'.repeat(200) })).rejects.toMatchObject({
      code: 'STORE_VALUE_TOO_LARGE',
    });
  });

  it('answers with the error fallback, without overwriting, when the stored value is not a JSON object', async () => {
    const values = new Map([[USER, '[1,2']]);
    const store = keyValueStore({
      get: async (id) => values.get(id),
      set: async (id, json) => void values.set(id, json),
      delete: async (id) => void values.delete(id),
    });
    const { app, logger } = counterApp(store);
    const { json } = await send(app, intentRequest('Count'));
    expect(speechOf(json).values.value).toBe(ERROR_SPEECH);
    expect(values.get(USER)).toBe('[1,2');
    const error = logger.entries.find((entry) => entry.level === 'error');
    expect(error?.fields).toMatchObject({ errorCode: 'STORE_VALUE_CORRUPT' });
    expect(JSON.stringify(error)).not.toContain('[1,2'); // stored data is never logged
  });

  it('deletes with the answer, and stores what is set after delete()', async () => {
    const store = memoryStore<{ count: number; fresh?: boolean }>();
    await store.set(USER, { count: 5 });
    const app = testExtension<{ user: { count: number; fresh?: boolean } }>({ storage: store });
    app.intent('Forget', async (ctx) => {
      await ctx.user.delete();
      ctx.say('forgotten');
    });
    app.intent('Restart', async (ctx) => {
      await ctx.user.delete();
      (await ctx.user.load()).fresh = true;
      ctx.say('restarted');
    });
    await send(app, intentRequest('Restart'));
    expect(await store.get(USER)).toEqual({ fresh: true });
    await send(app, intentRequest('Forget'));
    expect(await store.get(USER)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('opens the user once per request and releases an unchanged one without writing', async () => {
    const counting = countingStore(memoryStore());
    const app = testExtension<Counter>({ storage: counting });
    app.intent('Peek', async (ctx) => {
      await ctx.user.load();
      await ctx.user.load();
      ctx.say('peeked');
    });
    await send(app, intentRequest('Peek'));
    expect(counting).toMatchObject({ opens: 1, commits: 0, releases: 1 });
  });

  it('refuses a storage object without open() at start-up, pointing at keyValueStore', () => {
    const old = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };
    expect(() => testExtension({ storage: old as unknown as UserStore })).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID', message: expect.stringContaining('keyValueStore') }),
    );
  });
});

describe('user attributes: text every store can keep', () => {
  it.each([
    ['U+0000 in a value', { note: 'a\u0000b' }, '$.note is a string with the character U+0000'],
    ['U+0000 in a key', { ['a\u0000b']: 1 }, 'the key of $.a'],
    ['a lone surrogate', { note: '😀'.slice(0, 1) }, '$.note is a string with a lone surrogate'],
  ])('refuses %s (PostgreSQL JSONB could not hold it)', async (_name, value, message) => {
    const store = memoryStore<Record<string, unknown>>();
    await expect(store.set(USER, value)).rejects.toThrow(message);
    expect(await store.get(USER)).toBeUndefined();
    await store.set(USER, { note: '絵文字😀と한국어' });
    expect(await store.get(USER)).toEqual({ note: '絵文字😀と한국어' });
  });
});

describe('user attributes: a failed load the handler handles', () => {
  it('sends the answer the handler built after catching the StoreError, and writes nothing', async () => {
    const down: UserStore = {
      open: async () => {
        throw new StoreError('STORE_UNAVAILABLE', 'the database is down');
      },
    };
    const app = testExtension<Counter>({ storage: down });
    app.intent('Count', async (ctx) => {
      const user = await ctx.user.load().catch(() => undefined);
      ctx.say(user ? `count ${user.count}` : 'I cannot count right now.');
    });
    const { json } = await send(app, intentRequest('Count'));
    expect(speechOf(json).values.value).toBe('I cannot count right now.');
  });
});
