/**
 * postgresStore against a real PostgreSQL (test/helpers/servers.ts): loading and saving, the table
 * and its names, user ids and values that must stay data, and concurrency inside one process. Every
 * test uses a table of its own on the file's server.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, StoreError, type UserStore } from 'cekit';
import { postgresStore, type PostgresStoreOptions } from 'cekit/postgres';
import { storeConformance } from 'cekit/testing';
import { startPostgres, type PostgresServer } from '../helpers/servers.js';
import { intentRequest, recordingLogger, send, testExtension, type Json } from '../custom/harness.js';

const ERROR_SPEECH = 'STORE FAILED';

let server: PostgresServer;
let admin: pg.Pool;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  server = await startPostgres();
  admin = newPool(2);
}, 60_000);

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
  await server?.destroy();
}, 60_000);

function newPool(max = 5): pg.Pool {
  const pool = new pg.Pool({ connectionString: server.connectionString, max });
  pool.on('error', () => undefined); // the store reports outages; a test pool must not crash the run
  pools.push(pool);
  return pool;
}

let tables = 0;
/** A table name no other test uses. */
const freshTable = () => `t_${process.pid}_${++tables}`;

function store<T = Record<string, unknown>>(options: Partial<PostgresStoreOptions> = {}) {
  return postgresStore<T>({ pool: newPool(), table: freshTable(), logger: silentLogger, ...options });
}

/** An extension whose `Count` intent adds one to the user's `count`. */
function counter(storage: UserStore) {
  const app = testExtension<{ user: { count: number } }>({
    storage,
    fallbackSpeech: { ja: { error: ERROR_SPEECH } },
  });
  app.intent('Count', async (ctx) => {
    const user = await ctx.user.load();
    user.count = (user.count ?? 0) + 1;
    ctx.say(`count ${user.count}`);
  });
  return app;
}

/** An IntentRequest from `userId`. */
function requestFrom(userId: string, intent = 'Count'): Json {
  const message = intentRequest(intent);
  message.session.user.userId = userId;
  message.context.System.user.userId = userId;
  return message;
}

const speech = (json: Json): unknown => json.response.outputSpeech.values.value;

async function exists(qualified: string): Promise<boolean> {
  const { rows } = await admin.query('SELECT to_regclass($1) IS NOT NULL AS present', [qualified]);
  return rows[0].present as boolean;
}

describe('postgresStore: loading and saving', () => {
  it('serves an extension: the table appears on first use, each request reads what the last one wrote', async () => {
    const table = freshTable();
    const app = counter(postgresStore({ pool: newPool(), table, logger: silentLogger }));
    expect(await exists(table)).toBe(false);
    for (let n = 1; n <= 3; n++) {
      const { status, json } = await send(app, requestFrom('U-ext'));
      expect(status).toBe(200);
      expect(speech(json)).toBe(`count ${n}`);
    }
    const { rows } = await admin.query(`SELECT user_id, value, jsonb_typeof(value) AS type FROM ${table}`);
    expect(rows).toEqual([{ user_id: 'U-ext', value: { count: 3 }, type: 'object' }]);
  });

  it('opens, commits and releases directly; get/set/delete go through the same lock', async () => {
    const users = store<{ n: number; tags?: string[] }>();
    const first = await users.open('U1', { signal: AbortSignal.timeout(5000), holdMs: 5000 });
    expect(first.json).toBeUndefined();
    await first.commit('{"n":1,"tags":["a"]}');

    const second = await users.open('U1', { signal: AbortSignal.timeout(5000), holdMs: 5000 });
    expect(JSON.parse(second.json!)).toEqual({ n: 1, tags: ['a'] });
    await second.release(); // nothing written
    await second.release(); // a second release is harmless
    expect(await users.get('U1')).toEqual({ n: 1, tags: ['a'] });

    await users.set('U1', { n: 2 });
    expect(await users.get('U1')).toEqual({ n: 2 });
    const third = await users.open('U1', { signal: AbortSignal.timeout(5000), holdMs: 5000 });
    await third.commit(undefined); // deletes
    expect(await users.get('U1')).toBeUndefined();
    await users.delete('U1'); // deleting nothing is fine
    expect(users.maxBytes).toBe(64 * 1024);
  });

  it('makes a second store (another process) wait for a user the first holds, then read its write', async () => {
    const table = freshTable();
    const a = postgresStore({ pool: newPool(), table, logger: silentLogger });
    const b = postgresStore({ pool: newPool(), table, logger: silentLogger });
    const held = await a.open('U-shared', { signal: AbortSignal.timeout(5000), holdMs: 5000 });

    const started = performance.now();
    const refused = await b
      .open('U-shared', { signal: AbortSignal.timeout(300), holdMs: 5000 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe('STORE_LOCK_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1000);

    const waiting = b.open('U-shared', { signal: AbortSignal.timeout(5000), holdMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await held.commit('{"by":"a"}');
    const next = await waiting;
    expect(JSON.parse(next.json!)).toEqual({ by: 'a' });
    await next.release();
  });
});

describe('postgresStore: the table', () => {
  it('migrate() creates the table with the documented columns; twice, and from 3 pools at once', async () => {
    const table = freshTable();
    const stores = [1, 2, 3].map(() => postgresStore({ pool: newPool(), table, logger: silentLogger }));
    await Promise.all(stores.map((s) => s.migrate()));
    await stores[0]!.migrate();
    const { rows } = await admin.query(
      `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    expect(rows).toEqual([
      { column_name: 'user_id', data_type: 'text', is_nullable: 'NO', column_default: null },
      { column_name: 'value', data_type: 'jsonb', is_nullable: 'NO', column_default: null },
      {
        column_name: 'updated_at',
        data_type: 'timestamp with time zone',
        is_nullable: 'NO',
        column_default: 'now()',
      },
    ]);
    const key = await admin.query(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary`,
      [table],
    );
    expect(key.rows).toEqual([{ attname: 'user_id' }]);
  });

  it('with createTable: false and no table, a request gets the error fallback and one warning says what to do', async () => {
    const logger = recordingLogger();
    const table = freshTable();
    const users = postgresStore({ pool: newPool(), table, createTable: false, logger });
    const app = counter(users);

    for (let i = 0; i < 3; i++) {
      const { status, json } = await send(app, requestFrom('U-none'));
      expect(status).toBe(200);
      expect(speech(json)).toBe(ERROR_SPEECH);
    }
    const error = await users.get('U-none').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_UNAVAILABLE');
    expect((error as Error).message).toContain(`The table "${table}" does not exist`);
    expect(await exists(table)).toBe(false);
    const warnings = logger.entries.filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`refuses the store's statements on "${table}"`);
    expect(warnings[0]!.fields?.error).toMatch(/does not exist: create it with store\.migrate\(\)/);

    await users.migrate();
    const { json } = await send(app, requestFrom('U-none'));
    expect(speech(json)).toBe('count 1');
    expect(logger.entries.filter((entry) => entry.level === 'info').map((entry) => entry.message)).toEqual([
      `cekit: PostgreSQL accepts the store's statements on "${table}" again; user attributes load normally`,
    ]);
  });

  it('keeps odd schema and table names (quotes, spaces, upper case) exactly as given', async () => {
    const schema = 'My "Odd" Schema';
    const table = 'User Attrs "v2"; DROP';
    await admin.query(`CREATE SCHEMA "My ""Odd"" Schema"`);
    const users = postgresStore<{ n: number }>({ pool: newPool(), schema, table, logger: silentLogger });
    await users.set('U1', { n: 1 });
    expect(await users.get('U1')).toEqual({ n: 1 });
    const { rows } = await admin.query(
      'SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    expect(rows).toEqual([{ table_schema: schema, table_name: table }]);
    const stored = await admin.query(`SELECT value FROM "My ""Odd"" Schema"."User Attrs ""v2""; DROP"`);
    expect(stored.rows).toEqual([{ value: { n: 1 } }]);

    // The same table found through search_path instead of `schema` shares the same rows and locks.
    const viaPath = newPool(2);
    viaPath.on('connect', (client) => void client.query('SET search_path TO "My ""Odd"" Schema"'));
    const same = postgresStore<{ n: number }>({
      pool: viaPath,
      table,
      logger: silentLogger,
      createTable: false,
    });
    expect(await same.get('U1')).toEqual({ n: 1 });
  });

  it('refuses names PostgreSQL would not keep as written', () => {
    const pool = newPool();
    const make = (options: Partial<PostgresStoreOptions>) => () => postgresStore({ pool, ...options });
    expect(make({ table: '' })).toThrow(TypeError);
    expect(make({ table: 'a\0b' })).toThrow(/NUL/);
    expect(make({ schema: 'x'.repeat(64) })).toThrow(/64 bytes/);
    expect(make({ table: 'あ'.repeat(22) })).toThrow(/66 bytes/); // 22 characters, 3 bytes each
    expect(make({ table: 'あ'.repeat(21) })).not.toThrow(); // exactly 63 bytes
    expect(make({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => postgresStore({ pool: {} as never })).toThrow(/pg\.Pool/);
  });
});

describe('postgresStore: data stays data', () => {
  it('keys rows exactly by user ids that look like SQL, prototype names or emoji', async () => {
    const table = freshTable();
    await admin.query('CREATE TABLE x (id int)');
    const users = postgresStore<{ i: number }>({ pool: newPool(), table, logger: silentLogger });
    const ids = [
      "'; DROP TABLE x; --",
      `"); DROP TABLE ${table}; --`,
      '__proto__',
      'constructor',
      '👩‍💻🍕',
      'ユーザー',
      ' padded ',
      '',
      '$1',
    ];
    await Promise.all(ids.map((id, i) => users.set(id, { i })));
    for (const [i, id] of ids.entries()) expect(await users.get(id)).toEqual({ i });
    const { rows } = await admin.query(`SELECT user_id, (value->>'i')::int AS i FROM ${table} ORDER BY i`);
    expect(rows).toEqual(ids.map((id, i) => ({ user_id: id, i })));
    expect(await exists('x')).toBe(true);
    await expect(users.open('a\0b', { signal: AbortSignal.timeout(1000), holdMs: 1000 })).rejects.toThrow(
      /NUL/,
    );
    await expect(users.open('\ud800', { signal: AbortSignal.timeout(1000), holdMs: 1000 })).rejects.toThrow(
      /surrogate/,
    );
  });

  it('stores values as JSONB objects that SQL can query', async () => {
    const table = freshTable();
    const users = postgresStore({ pool: newPool(), table, logger: silentLogger });
    await users.set('U1', {
      name: 'Hanako',
      prefs: { size: 'L' },
      list: [1, 2.5, null, true],
      text: 'ü "q" \\',
    });
    const { rows } = await admin.query(
      `SELECT jsonb_typeof(value) AS type, value->'prefs'->>'size' AS size, pg_typeof(value)::text AS column_type
        FROM ${table} WHERE user_id = $1`,
      ['U1'],
    );
    expect(rows).toEqual([{ type: 'object', size: 'L', column_type: 'jsonb' }]);
    expect(await users.get('U1')).toEqual({
      name: 'Hanako',
      prefs: { size: 'L' },
      list: [1, 2.5, null, true],
      text: 'ü "q" \\',
    });
  });

  it('refuses a value too large, not JSON, or not storable in JSONB, writing nothing and keeping the user free', async () => {
    const logger = recordingLogger();
    const table = freshTable();
    const users = postgresStore({ pool: newPool(), table, maxBytes: 100, logger });
    expect(users.maxBytes).toBe(100);
    await users.set('U1', { kept: true });
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => 'written',
        (error: unknown) => (error as StoreError).code,
      );
    expect(await refusal(users.set('U1', { big: 'x'.repeat(200) }))).toBe('STORE_VALUE_TOO_LARGE');
    const open = () => users.open('U1', { signal: AbortSignal.timeout(2000), holdMs: 2000 });
    expect(await refusal((await open()).commit(`{"big":"${'x'.repeat(200)}"}`))).toBe(
      'STORE_VALUE_TOO_LARGE',
    );
    expect(await refusal((await open()).commit('{not json'))).toBe('STORE_VALUE_INVALID');
    // JSON allows "\u0000" in strings; PostgreSQL's jsonb does not: refused as the value's fault, not an outage.
    expect(await refusal((await open()).commit('{"nul":"a\\u0000b"}'))).toBe('STORE_VALUE_INVALID');
    expect(await users.get('U1')).toEqual({ kept: true });
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toEqual([]);

    const app = counter(users);
    app.intent('Grow', async (ctx) => {
      const user = await ctx.user.load();
      user.count = 'x'.repeat(200) as never;
      ctx.say('grown');
    });
    const { status, json } = await send(app, requestFrom('U1', 'Grow'));
    expect(status).toBe(200);
    expect(speech(json)).toBe(ERROR_SPEECH);
    const { rows } = await admin.query(`SELECT value FROM ${table}`);
    expect(rows).toEqual([{ value: { kept: true } }]);
  });
});

describe('postgresStore: concurrency', () => {
  it('counts 200 concurrent requests for one user exactly, with a pool of 3 connections', async () => {
    const table = freshTable();
    const pool = newPool(3);
    const app = counter(postgresStore({ pool, table, logger: silentLogger }));
    const started = performance.now();
    const replies = await Promise.all(Array.from({ length: 200 }, () => send(app, requestFrom('U-hot'))));
    const ms = Math.round(performance.now() - started);
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    const counts = replies.map((reply) => Number(String(speech(reply.json)).replace('count ', '')));
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const { rows } = await admin.query(`SELECT (value->>'count')::int AS count FROM ${table}`);
    expect(rows).toEqual([{ count: 200 }]);
    expect(pool.totalCount).toBeLessThanOrEqual(3);
    console.log(`200 requests for one user, pool of 3: ${ms} ms`);
  });

  it('serves more users at once than the pool has connections (no deadlock, nothing lost)', async () => {
    const table = freshTable();
    const pool = newPool(3);
    const app = counter(postgresStore({ pool, table, logger: silentLogger }));
    const replies = await Promise.all(
      Array.from({ length: 150 }, (_, i) => send(app, requestFrom(`U-${i % 30}`))),
    );
    expect(replies.map((reply) => speech(reply.json)).filter((text) => text === ERROR_SPEECH)).toEqual([]);
    const { rows } = await admin.query(
      `SELECT count(*)::int AS users, sum((value->>'count')::int)::int AS total FROM ${table}`,
    );
    expect(rows).toEqual([{ users: 30, total: 150 }]);
    expect(pool.waitingCount).toBe(0);
  });

  it('refuses a commit after the server ended the idle transaction, writing nothing', async () => {
    const logger = recordingLogger();
    const table = freshTable();
    const users = postgresStore({ pool: newPool(), table, logger });
    await users.set('U1', { before: true });
    const held = await users.open('U1', { signal: AbortSignal.timeout(5000), holdMs: 100 });

    // holdMs + the store's margin later, PostgreSQL ends the session itself.
    const deadline = Date.now() + 5000;
    for (;;) {
      const { rows } = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'idle in transaction'",
      );
      if (rows[0].n === 0) break;
      if (Date.now() > deadline) throw new Error('the idle transaction was not ended by the server');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const error = await held.commit('{"after":true}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_LOCK_LOST');
    expect(await users.get('U1')).toEqual({ before: true }); // and the user is free again at once
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toEqual([]); // no outage
  });
});

describe('postgresStore: the store conformance kit (cekit/testing)', () => {
  // Two stores over two pools of one database stand for two processes.
  const table = freshTable();
  for (const check of storeConformance(
    () => postgresStore({ pool: newPool(4), table, logger: silentLogger }),
    {
      crossProcess: true,
    },
  ))
    it(check.name, check.run);
});
