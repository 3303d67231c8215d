import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedCekit } from '../helpers/packed.js';
import { startPostgres, startRedis } from '../helpers/servers.js';

// The package as a user gets it: built, packed with `npm pack`, installed into an empty project from
// the tarball. Catches what tests against the sources cannot: a file missing from "files", an export
// map entry that points nowhere, a CommonJS build that does not load, declarations that do not resolve.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SUBPATHS = {
  cekit: 'createEndpoint',
  'cekit/node': 'serve',
  'cekit/fetch': 'toFetchHandler',
  'cekit/home': 'createHomeExtension',
  'cekit/testing': 'createConversation',
  'cekit/express': 'toExpressHandler',
  'cekit/fastify': 'cekitFastify',
  'cekit/koa': 'toKoaMiddleware',
  'cekit/hono': 'toHonoHandler',
  'cekit/lambda': 'toLambdaHandler',
  'cekit/redis': 'redisStore',
  'cekit/postgres': 'postgresStore',
};

let scratch: string;
let project: string;
let shipped: string[];

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'cekit-pack-'));
  project = join(scratch, 'project');
  const packed = await packedCekit();
  shipped = packed.files;
  run('mkdir', [project], scratch);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  // No registry needed: cekit has no dependencies, and its framework peers are optional.
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', packed.tarball], project);
}, 240_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the published package, installed from its tarball', () => {
  it('ships the builds, schemas and guides, and not the sources, tests or generated API pages', () => {
    expect(shipped).toContain('dist/index.js');
    expect(shipped).toContain('dist/cli/main.js');
    expect(shipped).toContain('schema/custom-request.json');
    expect(shipped).toContain('docs/guides/verification.md');
    expect(shipped.filter((path) => /^(src|test|bench|docs\/api)\//.test(path))).toEqual([]);
  });

  it('installs with no dependencies of its own', () => {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    expect(Object.keys(lock.packages).filter((path) => path !== '')).toEqual(['node_modules/cekit']);
  });

  it('loads every subpath as an ES module, without the optional frameworks installed', () => {
    const script = Object.entries(SUBPATHS)
      .map(
        ([path, name], i) =>
          `import * as m${i} from '${path}'; if (typeof m${i}.${name} !== 'function') throw new Error('${path}');`,
      )
      .join('\n');
    writeFileSync(join(project, 'esm.mjs'), `${script}\nconsole.log('ok');\n`);
    expect(run(process.execPath, ['esm.mjs'], project).trim()).toBe('ok');
  });

  it('loads every subpath as CommonJS', () => {
    const script = Object.entries(SUBPATHS)
      .map(
        ([path, name]) => `if (typeof require('${path}').${name} !== 'function') throw new Error('${path}');`,
      )
      .join('\n');
    writeFileSync(join(project, 'cjs.cjs'), `${script}\nconsole.log('ok');\n`);
    expect(run(process.execPath, ['cjs.cjs'], project).trim()).toBe('ok');
  });

  it('resolves the JSON Schemas and runs the cekit command', () => {
    writeFileSync(
      join(project, 'schema.cjs'),
      "console.log(require('cekit/schema/custom-request.json').$schema ? 'ok' : 'no $schema');",
    );
    expect(run(process.execPath, ['schema.cjs'], project).trim()).toBe('ok');
    expect(run(join(project, 'node_modules/.bin/cekit'), ['--help'], project)).toMatch(/^Usage: cekit/);
  });

  it("type-checks a user's file against the shipped declarations", () => {
    // The same file as CommonJS (.ts in a package without "type": "module") and as an ES module
    // (.mts), so both sets of declarations (.d.cts and .d.ts) are checked.
    const code = [
      "import { createExtension } from 'cekit';",
      "import { serve } from 'cekit/node';",
      "import { createHomeExtension } from 'cekit/home';",
      "import { generateTestKeyPair } from 'cekit/testing';",
      'const keys = generateTestKeyPair();',
      "const app = createExtension({ extensionId: 'com.example.x', verify: keys.verifyOptions });",
      "app.intent('Order', { slots: { amount: 'number' } }, (ctx) => ctx.say(`${(ctx.slots.amount ?? 0) + 1}`));",
      'createHomeExtension({ authenticate: () => undefined });',
      'export const start = () => serve(app, { port: 0 });',
    ].join('\n');
    writeFileSync(join(project, 'extension.ts'), code);
    writeFileSync(join(project, 'extension.mts'), code);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['extension.ts', 'extension.mts'],
      }),
    );
    run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
  });

  it('keeps user attributes in Redis and PostgreSQL through cekit/redis and cekit/postgres', async () => {
    // The drivers are the user's: not installed with cekit, so the script takes them from this repository.
    const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    try {
      const script = `
        import { createRequire } from 'node:module';
        import { createExtension, silentLogger } from 'cekit';
        import { redisStore } from 'cekit/redis';
        import { postgresStore } from 'cekit/postgres';
        import { buildIntentRequest, generateTestKeyPair } from 'cekit/testing';
        const driver = createRequire(${JSON.stringify(join(ROOT, 'package.json'))});
        const keys = generateTestKeyPair();
        const client = driver('redis').createClient({ url: process.env.REDIS_URL });
        await client.connect();
        const pool = new (driver('pg').Pool)({ connectionString: process.env.POSTGRES_URL });
        const said = [];
        for (const storage of [redisStore({ client }), postgresStore({ pool })]) {
          const app = createExtension({ extensionId: 'com.example.x', verify: keys.verifyOptions, storage, logger: silentLogger });
          app.intent('Count', async (ctx) => {
            const user = await ctx.user.load();
            user.count = (user.count ?? 0) + 1;
            ctx.say(String(user.count));
          });
          for (let i = 0; i < 2; i++) {
            const body = JSON.stringify(buildIntentRequest('Count', {}, { extensionId: 'com.example.x', userId: 'U1' }));
            const reply = await app.endpoint.handle({ method: 'POST', body: Buffer.from(body),
              headers: { 'content-type': 'application/json', signaturecek: keys.sign(body) } });
            said.push(JSON.parse(reply.body).response.outputSpeech.values.value);
          }
        }
        await client.quit();
        await pool.end();
        console.log(said.join(' '));
      `;
      writeFileSync(join(project, 'stores.mjs'), script);
      const output = execFileSync(process.execPath, ['stores.mjs'], {
        cwd: project,
        encoding: 'utf8',
        env: { ...process.env, REDIS_URL: redis.url, POSTGRES_URL: postgres.connectionString },
      });
      expect(output.trim()).toBe('1 2 1 2');
    } finally {
      await Promise.all([redis.destroy(), postgres.destroy()]);
    }
  }, 60_000);
});
