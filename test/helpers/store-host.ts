/**
 * One extension process for the multi-instance tests: `node --import tsx store-host.ts
 * <redis|redis4|ioredis|postgres> <url>`, with the verifying key in CEKIT_TEST_PUBLIC_KEY.
 * Serves `Count` (adds one to the user's `count`) and `Peek` (no store access) on a free port, and
 * prints `{"port":N}` once listening. SIGTERM closes the server and the database client.
 */
import { createExtension, type UserStore } from 'cekit';
import { serve } from 'cekit/node';

// Defaults keep both `string` inside connect() (a hoisted function does not see the check below).
const [kind = '', url = ''] = process.argv.slice(2);
const publicKey = process.env.CEKIT_TEST_PUBLIC_KEY;
if (!kind || !url || !publicKey)
  throw new Error('usage: store-host.ts <kind> <url> (CEKIT_TEST_PUBLIC_KEY set)');
const timeoutMs = Number(process.env.CEKIT_TEST_TIMEOUT_MS ?? 1000);

async function connect(): Promise<{ storage: UserStore; close: () => Promise<unknown> }> {
  if (kind === 'postgres') {
    const { default: pg } = await import('pg');
    const { postgresStore } = await import('cekit/postgres');
    const pool = new pg.Pool({ connectionString: url, max: 5 });
    pool.on('error', () => undefined); // a dropped idle connection; the store reports outages
    return { storage: postgresStore({ pool, timeoutMs }), close: () => pool.end() };
  }
  const { redisStore } = await import('cekit/redis');
  if (kind === 'ioredis') {
    const { Redis } = await import('ioredis');
    const client = new Redis(url, { lazyConnect: false });
    return { storage: redisStore({ client, timeoutMs }), close: () => client.quit() };
  }
  // Two driver versions: their createClient signatures differ, so each is called on its own.
  const client =
    kind === 'redis4'
      ? (await import('redis4')).createClient({ url })
      : (await import('redis')).createClient({ url });
  void client.connect().catch(() => undefined); // the store reports outages; requests get the fallback
  return { storage: redisStore({ client, timeoutMs }), close: () => client.quit() };
}

const { storage, close } = await connect();
const app = createExtension<{ user: { count: number } }>({
  extensionId: 'com.example.extension',
  verify: { keys: [publicKey], bundledKey: false, keyUrl: false },
  storage,
});
app.intent('Count', async (ctx) => {
  const user = await ctx.user.load();
  user.count = (user.count ?? 0) + 1;
  ctx.say(`count ${user.count}`);
});
app.intent('Peek', (ctx) => ctx.say(`pid ${process.pid}`));

const server = await serve(app, { port: 0 });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.once('SIGTERM', () => {
  void server
    .close()
    .then(close)
    .finally(() => process.exit(0));
});
