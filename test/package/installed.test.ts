import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedCekit, writeStrictTsconfig } from '../helpers/packed.js';
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
  'cekit/clova-sdk': 'Middleware',
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
  it('ships every entry of "files": builds, sources, schemas, guides, licence, changelog; not tests or API pages', () => {
    const { files } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    // npm leaves out an entry that names nothing, silently: a README or LICENSE forgotten would go unnoticed.
    expect(
      files.filter((entry) => !shipped.some((path) => path === entry || path.startsWith(`${entry}/`))),
    ).toEqual([]);
    expect(shipped).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/cli/main.js',
        'src/index.ts',
        'schema/custom-request.json',
        'docs/guides/verification.md',
        'LICENSE',
        'CHANGELOG.md',
      ]),
    );
    expect(shipped.filter((path) => /^(test|bench|scripts|docs\/api)\//.test(path))).toEqual([]);
  });

  it('publishes only the export conditions users resolve with (no development-only ones)', () => {
    const conditions = new Set<string>();
    const walk = (target: unknown) => {
      if (typeof target !== 'object' || target === null) return;
      for (const [key, value] of Object.entries(target)) {
        if (!key.startsWith('.')) conditions.add(key);
        walk(value);
      }
    };
    walk(
      (
        JSON.parse(readFileSync(join(project, 'node_modules/cekit/package.json'), 'utf8')) as {
          exports: unknown;
        }
      ).exports,
    );
    expect([...conditions].sort()).toEqual(['default', 'import', 'require', 'types']);
  });

  it('has source maps that point into the shipped src/ instead of embedding the sources', () => {
    // src/ is shipped once; a map with `sourcesContent` would carry a second (and third) copy.
    const dist = join(project, 'node_modules/cekit/dist');
    const maps = (readdirSync(dist, { recursive: true }) as string[]).filter((path) => path.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const path of maps) {
      const map = JSON.parse(readFileSync(join(dist, path), 'utf8')) as {
        sources: string[];
        sourcesContent?: unknown[];
        sourceRoot?: string;
      };
      if (map.sourcesContent?.some((content) => content != null))
        problems.push(`${path}: embeds its sources`);
      for (const source of map.sources) {
        const file = resolve(dirname(join(dist, path)), map.sourceRoot ?? '', source);
        if (!file.startsWith(join(project, 'node_modules/cekit/src/')) || !existsSync(file))
          problems.push(`${path}: ${source} is not a shipped source`);
      }
    }
    expect(problems).toEqual([]);
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

  // A user's file that imports every subpath, type-checked with each module resolution TypeScript offers
  // a Node project: node10 (`module: commonjs`, which ignores "exports" and reads "typesVersions"), node16
  // as CommonJS (.ts, the project has no "type": "module") and as an ES module (.mts), and bundler. Under
  // each, every subpath must reach its declarations, and the declarations themselves must check
  // (no skipLibCheck).
  it.each([
    {
      resolution: 'node10',
      compilerOptions: { module: 'commonjs', moduleResolution: 'node10' },
      files: ['.ts'],
    },
    {
      resolution: 'node16',
      compilerOptions: { module: 'node16', moduleResolution: 'node16' },
      files: ['.ts', '.mts'],
    },
    {
      resolution: 'bundler',
      compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
      files: ['.ts'],
    },
  ])(
    "type-checks a user's file importing every subpath under $resolution resolution",
    ({ resolution, compilerOptions, files }) => {
      // cekit/fastify's declarations import Fastify's types: a user of that subpath has fastify installed.
      const fastify = join(project, 'node_modules/fastify');
      if (!existsSync(fastify)) symlinkSync(join(ROOT, 'node_modules/fastify'), fastify, 'dir');
      const imports = Object.entries(SUBPATHS).map(([path, name]) => `import { ${name} } from '${path}';`);
      const code = [
        ...imports,
        "import { createExtension } from 'cekit';",
        "import { generateTestKeyPair } from 'cekit/testing';",
        'const keys = generateTestKeyPair();',
        "const app = createExtension({ extensionId: 'com.example.x', verify: keys.verifyOptions });",
        "app.intent('Order', { slots: { amount: 'number' } }, (ctx) => ctx.say(`${(ctx.slots.amount ?? 0) + 1}`));",
        'createHomeExtension({ authenticate: () => undefined });',
        'export const start = () => serve(app, { port: 0 });',
        'export const express = toExpressHandler(app);',
        'export const lambda = toLambdaHandler(app);',
        `export const all = [${Object.values(SUBPATHS).join(', ')}];`,
      ].join('\n');
      const names = files.map((extension) => `${resolution}${extension}`);
      for (const name of names) writeFileSync(join(project, name), code);
      const config = writeStrictTsconfig(
        project,
        resolution,
        { ...compilerOptions, esModuleInterop: true },
        names,
      );
      const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
      let errors = '';
      try {
        run(process.execPath, [tsc, '-p', config, '--pretty', 'false'], project);
      } catch (error) {
        errors = String((error as { stdout?: string }).stdout || error); // tsc reports on stdout
      }
      expect(errors).toBe('');
    },
    60_000,
  );

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
