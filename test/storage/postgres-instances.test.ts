/**
 * The acceptance test of postgresStore: three extension processes (test/helpers/store-host.ts)
 * sharing one real PostgreSQL serve 300 concurrent requests for ONE user, round-robin as a load
 * balancer would send them. Every request must see the previous one's write: the counts heard are
 * exactly 1..300, and 300 is stored.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../helpers/servers.js';
import { spoken, startCluster, type StoreCluster } from '../helpers/store-cluster.js';

const REQUESTS = 300;
const USER = 'U-shared-by-three-processes';

let server: PostgresServer;
let cluster: StoreCluster | undefined;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  await server?.destroy();
}, 60_000);

it(
  `counts ${REQUESTS} concurrent requests for one user across 3 processes exactly`,
  { timeout: 90_000 },
  async () => {
    cluster = await startCluster('postgres', server.connectionString, { count: 3 });

    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => cluster!.send(i, 'Count', USER)),
    );
    const elapsed = Math.round(performance.now() - started);

    const statuses = new Set(replies.map((reply) => reply.status));
    expect([...statuses]).toEqual([200]);
    const speeches = replies.map((reply) => spoken(reply.json));
    const counts = speeches.map((speech) => /^count (\d+)$/.exec(speech ?? '')?.[1]);
    expect(speeches.filter((_, i) => counts[i] === undefined)).toEqual([]); // no fallback, no error speech
    expect(counts.map(Number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: REQUESTS }, (_, i) => i + 1),
    );

    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT (value->>'count')::int AS count FROM cekit_user_attributes WHERE user_id = $1",
        [USER],
      );
      expect(rows).toEqual([{ count: REQUESTS }]);
    } finally {
      await client.end();
    }
    expect(cluster.logs()).not.toMatch(/"level":"(warn|error)"/);

    const slowest = Math.round(Math.max(...replies.map((reply) => reply.ms)));
    console.log(
      `${REQUESTS} requests for one user over 3 processes: ${elapsed} ms in all, slowest reply ${slowest} ms`,
    );
  },
);
