/**
 * postgresStore when PostgreSQL fails, against a real server: down at start-up, stopped mid-run,
 * frozen (SIGSTOP), refusing our password. In every case requests that load user attributes get the
 * error fallback (HTTP 200, never a 5xx) within timeoutMs and a margin, requests that do not answer
 * normally, the outage is warned about once, and service comes back by itself, losing nothing.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from 'cekit/postgres';
import { startPostgres, type PostgresServer } from '../helpers/servers.js';
import { intentRequest, recordingLogger, send, testExtension, type Json } from '../custom/harness.js';

const TIMEOUT_MS = 400;
/** Scheduling slack on a loaded test machine, on top of timeoutMs. */
const MARGIN_MS = 600;
const BOUND_MS = TIMEOUT_MS + MARGIN_MS;
const ERROR_SPEECH = 'STORE FAILED';
const PASSWORD = 'right-password';

let server: PostgresServer;
let secured: PostgresServer;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  [server, secured] = await Promise.all([startPostgres(), startPostgres({ password: PASSWORD })]);
}, 60_000);

afterAll(async () => {
  server?.resume();
  await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
  await Promise.all([server?.destroy(), secured?.destroy()]);
}, 60_000);

let tables = 0;

/** An in-process extension on its own pool and table: `Count` loads user attributes, `Peek` does not. */
function serving(connection: string | pg.PoolConfig, max = 5) {
  const pool = new pg.Pool({
    ...(typeof connection === 'string' ? { connectionString: connection } : connection),
    max,
  });
  pools.push(pool);
  const logger = recordingLogger();
  const table = `faults_${++tables}`;
  const app = testExtension<{ user: { count: number } }>({
    storage: postgresStore({ pool, table, timeoutMs: TIMEOUT_MS, logger }),
    fallbackSpeech: { ja: { error: ERROR_SPEECH } },
  });
  app.intent('Count', async (ctx) => {
    const user = await ctx.user.load();
    user.count = (user.count ?? 0) + 1;
    ctx.say(`count ${user.count}`);
  });
  app.intent('Peek', (ctx) => ctx.say('peek'));
  const levels = (level: string) => logger.entries.filter((entry) => entry.level === level);
  return { app, pool, table, logger, warnings: () => levels('warn'), infos: () => levels('info') };
}

type App = ReturnType<typeof serving>['app'];

/** Sends `intent` from `userId`; the reply's status and speech, and how long it took. */
async function timed(app: App, intent: 'Count' | 'Peek', userId: string) {
  const message: Json = intentRequest(intent);
  message.session.user.userId = userId;
  message.context.System.user.userId = userId;
  const started = performance.now();
  const { status, json } = await send(app, message);
  return {
    status,
    speech: json.response.outputSpeech.values.value as string,
    ms: performance.now() - started,
  };
}

/** Retries `probe` until it returns true, failing after `ms`. */
async function until(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The fallback, quickly: what every request that loads user attributes gets during an outage. */
function expectFallbacks(replies: Array<{ status: number; speech: string; ms: number }>) {
  for (const reply of replies) {
    expect(reply.status).toBe(200);
    expect(reply.speech).toBe(ERROR_SPEECH);
    expect(reply.ms).toBeLessThan(BOUND_MS);
  }
}

async function storedCounts(connectionString: string, table: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT user_id, (value->>'count')::int AS count FROM ${table}`);
    return Object.fromEntries(rows.map((row) => [row.user_id as string, row.count as number]));
  } finally {
    await client.end();
  }
}

const WARNING =
  'cekit: PostgreSQL does not answer; requests that load user attributes get the error fallback until it does';
const RECOVERY = 'cekit: PostgreSQL answers again; user attributes load normally';

describe('postgresStore under faults', () => {
  it('down at start-up: fallback within the bound, one warning, service resumes once PostgreSQL starts', async () => {
    await server.stop();
    const { app, warnings, infos } = serving(server.connectionString);

    const peeks = await Promise.all([1, 2, 3].map((i) => timed(app, 'Peek', `U${i}`)));
    expect(peeks.map((reply) => [reply.status, reply.speech])).toEqual(Array(3).fill([200, 'peek']));
    expectFallbacks(await Promise.all(Array.from({ length: 20 }, (_, i) => timed(app, 'Count', `U${i}`))));
    expectFallbacks(
      await Promise.all(Array.from({ length: 20 }, (_, i) => timed(app, 'Count', `U${i % 3}`))),
    );
    expect(warnings().map((entry) => entry.message)).toEqual([WARNING]);
    expect(warnings()[0]!.fields?.error).toMatch(/ECONNREFUSED|connect/);

    await server.start();
    await until(
      async () => (await timed(app, 'Count', 'U-after')).speech === 'count 1',
      10_000,
      'service back',
    );
    expect((await timed(app, 'Count', 'U-after')).speech).toBe('count 2');
    expect(warnings()).toHaveLength(1);
    expect(infos().map((entry) => entry.message)).toEqual([RECOVERY]);
  });

  it('down mid-run: the burst in flight gets the fallback, nothing is lost, half-written or counted twice', async () => {
    const { app, table, warnings, infos } = serving(server.connectionString);
    for (let n = 1; n <= 3; n++) expect((await timed(app, 'Count', 'U-burst')).speech).toBe(`count ${n}`);

    let answered = 0;
    const burst = Array.from({ length: 200 }, () =>
      timed(app, 'Count', 'U-burst').then((reply) => {
        if (reply.speech !== ERROR_SPEECH) answered++;
        return { ...reply, at: performance.now() };
      }),
    );
    await until(async () => answered >= 20, 10_000, '20 answers before the stop');
    await server.stop();
    const stopped = performance.now();
    const replies = await Promise.all(burst);

    const counted = replies.filter((reply) => reply.speech !== ERROR_SPEECH);
    const failed = replies.filter((reply) => reply.speech === ERROR_SPEECH);
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    expect(failed.length).toBeGreaterThan(0);
    // Requests for one user run one after the other: the counts heard are consecutive from 4.
    expect(
      counted.map((reply) => reply.speech).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6))),
    ).toEqual(counted.map((_, i) => `count ${i + 4}`));
    for (const reply of failed) expect(reply.at - stopped).toBeLessThan(BOUND_MS);
    expect(warnings().map((entry) => entry.message)).toEqual([WARNING]);

    await server.start();
    let resumed = 0;
    await until(
      async () => {
        const reply = await timed(app, 'Count', 'U-burst');
        if (reply.speech === ERROR_SPEECH) return false;
        resumed++;
        return true;
      },
      10_000,
      'service back',
    );
    const successes = 3 + counted.length + resumed;
    expect(await storedCounts(server.connectionString, table)).toEqual({ 'U-burst': successes });
    expect(warnings()).toHaveLength(1);
    expect(infos().map((entry) => entry.message)).toEqual([RECOVERY]);
  });

  it('frozen (SIGSTOP): fallback within the bound; after SIGCONT service is back with no connection stuck', async () => {
    const max = 5;
    const { app, pool, table, warnings, infos } = serving(server.connectionString, max);
    for (let i = 0; i < max; i++) expect((await timed(app, 'Count', `U${i}`)).speech).toBe('count 1');

    server.pause();
    try {
      const first = await Promise.all([
        ...Array.from({ length: max }, (_, i) => timed(app, 'Count', `U${i}`)),
        timed(app, 'Peek', 'U0'),
      ]);
      expect(first.pop()).toMatchObject({ status: 200, speech: 'peek' });
      expectFallbacks(first);
      // During the outage: one request probes (and waits timeoutMs), the others fail at once.
      expectFallbacks(await Promise.all(Array.from({ length: max }, (_, i) => timed(app, 'Count', `U${i}`))));
      expect(warnings().map((entry) => entry.message)).toEqual([WARNING]);
      expect(warnings()[0]!.fields?.error).toMatch(/timeoutMs/);
    } finally {
      server.resume();
    }

    await until(async () => (await timed(app, 'Count', 'U0')).speech === 'count 2', 10_000, 'service back');
    // As many users at once as the pool has connections, twice: none is held by a stuck connection.
    for (const round of [3, 4]) {
      const replies = await Promise.all(Array.from({ length: max }, (_, i) => timed(app, 'Count', `U${i}`)));
      expect(replies.map((reply) => reply.speech)).toEqual(
        Array.from({ length: max }, (_, i) => `count ${i === 0 ? round : round - 1}`),
      );
    }
    expect(pool.totalCount).toBeLessThanOrEqual(max);
    expect(pool.waitingCount).toBe(0);
    expect(await storedCounts(server.connectionString, table)).toEqual({ U0: 4, U1: 3, U2: 3, U3: 3, U4: 3 });
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      await until(
        async () => {
          const { rows } = await client.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'",
          );
          return rows[0].n === 0;
        },
        5000,
        'no transaction left open on the server',
      );
    } finally {
      await client.end();
    }
    expect(warnings()).toHaveLength(1);
    expect(infos().map((entry) => entry.message)).toEqual([RECOVERY]);
  });

  it('wrong password: fallback within the bound, one warning, no crash; the right one restores service', async () => {
    const { app, pool, warnings, infos } = serving({
      host: secured.host,
      port: secured.port,
      user: secured.user,
      database: secured.database,
      password: 'wrong-password',
    });

    expect(await timed(app, 'Peek', 'U1')).toMatchObject({ status: 200, speech: 'peek' });
    expectFallbacks(await Promise.all(Array.from({ length: 10 }, (_, i) => timed(app, 'Count', `U${i}`))));
    for (let i = 0; i < 5; i++) expectFallbacks([await timed(app, 'Count', 'U1')]);
    expect(warnings().map((entry) => entry.message)).toEqual([WARNING]);
    expect(warnings()[0]!.fields?.error).toMatch(/password authentication failed/);
    expect(warnings()[0]!.fields?.errorCode).toBe('28P01');

    pool.options.password = PASSWORD; // the operator fixes the credentials; no restart needed
    await until(async () => (await timed(app, 'Count', 'U1')).speech === 'count 1', 10_000, 'service back');
    expect(warnings()).toHaveLength(1);
    expect(infos().map((entry) => entry.message)).toEqual([RECOVERY]);
  });
});
