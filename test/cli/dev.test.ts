import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConversation, generateTestKeyPair, loadTestKeyPair } from 'cekit/testing';
import { main } from '../../src/cli/main.js';
import type { ConsoleState, RunResult } from '../../src/console/protocol.js';
import { bufferIo } from './io.js';
import { waitFor, type Output as Out } from '../helpers/wait-for.js';

// The user's modules import cekit from its sources (the worker runs them through tsx).
const source = (path: string) =>
  JSON.stringify(pathToFileURL(fileURLToPath(new URL(`../../src/${path}`, import.meta.url))).href);
const CEKIT = source('index.ts');
const CEKIT_NODE = source('adapters/node.ts');
const CEKIT_HOME = source('home/index.ts');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cekit-dev-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Runs `cekit dev` in-process until `body` is done, then stops it like Ctrl+C. */
async function withDev(
  dir: string,
  args: string[],
  body: (session: { url: string; out: Out; keys: ReturnType<typeof loadTestKeyPair> }) => Promise<void>,
  env: Record<string, string> = {},
): Promise<Out> {
  const controller = new AbortController();
  const { io, out } = bufferIo(dir, { signal: controller.signal, env });
  const running = main(['dev', ...args], io);
  try {
    const url = await waitFor(() => /extension ready on (http:\/\/[\d.]+:\d+\/)/.exec(out.stdout)?.[1], out);
    const keys = loadTestKeyPair(readFileSync(join(dir, '.cekit/dev-key.pem'), 'utf8'));
    await body({ url, out, keys });
  } finally {
    controller.abort();
    expect(await running).toBe(0);
  }
  return out;
}

/** Runs `cekit dev` until its output satisfies `probe`, then stops it; resolves to the exit code and output. */
async function devUntil(dir: string, args: string[], probe: (out: Out) => boolean) {
  const controller = new AbortController();
  const { io, out } = bufferIo(dir, { signal: controller.signal });
  const running = main(['dev', ...args], io);
  const stopped = { code: undefined as number | undefined };
  void running.then((code) => (stopped.code = code));
  await waitFor(() => (stopped.code !== undefined || probe(out) ? true : undefined), out);
  controller.abort();
  return { code: await running, out };
}

/** What a reload must never print: Node's crash traces. */
function expectNoTrace(out: Out) {
  expect(out.stderr).not.toMatch(/ERR_IPC|\n\s+at |Error \[/);
  expect(out.stdout).not.toMatch(/\n\s+at /);
}

describe('cekit dev', () => {
  it('serves a factory module trusting the development key, and reloads it cleanly when a file changes', async () => {
    const dir = project({
      'extension.mjs': `import { createExtension, silentLogger } from ${CEKIT};
import { greeting } from './lib/greeting.mjs';
export default (options) => {
  const app = createExtension({ ...options, logger: silentLogger });
  app.launch((ctx) => ctx.say(greeting));
  return app;
};
`,
      'lib/greeting.mjs': `export const greeting = "Version one.";\n`,
    });
    const write = (greeting: string) =>
      writeFileSync(join(dir, 'lib/greeting.mjs'), `export const greeting = ${JSON.stringify(greeting)};\n`);
    const out = await withDev(
      dir,
      ['extension.mjs', '--port', '0', '--extension-id', 'com.example.dev'],
      async ({ url, out, keys }) => {
        expect(out.stdout).toContain(
          `cekit simulate ${url} --key .cekit/dev-key.pem --extension-id com.example.dev`,
        );
        const cek = createConversation({ target: url, keys, extensionId: 'com.example.dev' });
        expect((await cek.launch()).speech).toBe('Version one.');
        for (const version of ['Version two.', 'Version three.']) {
          const reloads = out.stdout.split('reloaded, listening on').length;
          write(version);
          await waitFor(() => out.stdout.split('reloaded, listening on').length > reloads || undefined, out);
          expect((await cek.launch()).speech).toBe(version);
        }
        expect(out.stdout).toContain(`reloaded, listening on ${url}`);
        expect(out.stdout).toMatch(/change in lib\/greeting\.mjs, reloading/);
      },
    );
    expectNoTrace(out);
  });

  it('serves a module that calls serve() itself, on its own address, through the real verifier', async () => {
    const dir = project({
      'server.mjs': `import { createExtension, silentLogger } from ${CEKIT};
import { serve } from ${CEKIT_NODE};
const app = createExtension({ extensionId: 'com.example.top', logger: silentLogger });
app.launch((ctx) => ctx.say('Served by the module.'));
await serve(app, { port: 3000 });
`,
    });
    const out = await withDev(dir, ['server.mjs', '--port', '0', '--once'], async ({ url, out, keys }) => {
      // The Extension ID comes from the module, not from a flag.
      expect(out.stdout).toContain(`--extension-id com.example.top`);
      const signed = createConversation({ target: url, keys, extensionId: 'com.example.top' });
      expect((await signed.launch()).speech).toBe('Served by the module.');
      // Not CEK's key, not the development key: refused by the verifier.
      const stranger = createConversation({
        target: url,
        keys: generateTestKeyPair(),
        extensionId: 'com.example.top',
        strict: false,
      });
      expect((await stranger.launch()).status).toBe(403);
    });
    expectNoTrace(out);
  });

  it('serves an exported extension, and says which export to pick when there are several', async () => {
    const extension = `import { createExtension, silentLogger } from ${CEKIT};
export const app = createExtension({ extensionId: 'com.example.exported', logger: silentLogger });
app.launch((ctx) => ctx.say('Exported.'));
`;
    const dir = project({
      'one.mjs': extension,
      'two.mjs': `${extension}export const other = createExtension({ extensionId: 'com.example.other', logger: silentLogger });\n`,
    });
    await withDev(dir, ['one.mjs', '--port', '0', '--once'], async ({ url, keys }) => {
      const cek = createConversation({ target: url, keys, extensionId: 'com.example.exported' });
      expect((await cek.launch()).speech).toBe('Exported.');
    });
    const out = await withDev(
      dir,
      ['two.mjs', '--port', '0', '--once', '--export', 'app'],
      async ({ url, keys }) => {
        const cek = createConversation({ target: url, keys, extensionId: 'com.example.exported' });
        expect((await cek.launch()).speech).toBe('Exported.');
      },
    );
    expectNoTrace(out);
    const { out: several } = await devUntil(dir, ['two.mjs', '--port', '0', '--once'], (o) =>
      o.stderr.includes('save to restart'),
    );
    expect(several.stderr).toContain('exports several things cekit dev could serve (app, other)');
    expect(several.stderr).toContain('--export <name>');
    expectNoTrace(several);
  });

  it('explains a module it cannot serve, and shows the stack of the user’s own error without cekit’s frames', async () => {
    const dir = project({
      'nothing.mjs': 'export const answer = 42;\n',
      'broken.mjs': "throw new Error('my own bug');\n",
    });
    const restart = (o: Out) => o.stderr.includes('save to restart');
    const nothing = await devUntil(dir, ['nothing.mjs', '--port', '0', '--once'], restart);
    expect(nothing.out.stderr).toContain('The module neither calls serve() nor exports an extension');
    expectNoTrace(nothing.out);

    const broken = await devUntil(dir, ['broken.mjs', '--port', '0', '--once'], restart);
    expect(broken.out.stderr).toMatch(/Error: my own bug\n\s+at .*broken\.mjs:1/);
    expect(broken.out.stderr).not.toMatch(/serveModule|dev-worker/);
  });

  it('stops with a clear message when the port is taken, instead of an EADDRINUSE stack', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dir = project({
        'server.mjs': `import { createExtension, silentLogger } from ${CEKIT};
import { serve } from ${CEKIT_NODE};
await serve(createExtension({ extensionId: 'com.example.x', logger: silentLogger }));
`,
      });
      const { code, out } = await devUntil(dir, ['server.mjs', '--port', String(port)], () => false);
      expect(code).toBe(1);
      expect(out.stderr).toContain(`Port ${port} is already in use on 127.0.0.1`);
      expect(out.stderr).toContain('pass --port <n> to cekit dev');
      expectNoTrace(out);
    } finally {
      blocker.close();
    }
  });

  it('prints Clova Home hints for a Home module: an access token, discovery, the home audit', async () => {
    const dir = project({
      'home.mjs': `import { silentLogger } from ${CEKIT};
import { createHomeExtension } from ${CEKIT_HOME};
const appliances = [{ id: 'light-1', type: 'LIGHT', name: 'Light', manufacturer: 'Acme', model: 'L1' }];
export default (options) => createHomeExtension({
  ...options,
  logger: silentLogger,
  authenticate: (token) => (token === 'demo-token' ? { user: {}, appliances } : undefined),
  drivers: { LIGHT: { TurnOn: () => undefined } },
});
`,
    });
    const out = await withDev(dir, ['home.mjs', '--port', '0', '--once'], async ({ url, out, keys }) => {
      expect(out.stdout).toContain(`cekit simulate ${url} --key .cekit/dev-key.pem --access-token`);
      expect(out.stdout).toContain('/home discover');
      expect(out.stdout).toContain(`cekit check ${url} --key .cekit/dev-key.pem --kind home --access-token`);
      expect(out.stdout).not.toContain('--extension-id');
      const cek = createConversation({ target: url, keys, homeAccessToken: 'demo-token' });
      const discovered = await cek.discover();
      expect(discovered.name).toBe('DiscoverAppliancesResponse');
    });
    expectNoTrace(out);
  });

  it('--trust-cek keeps the module’s own keys (CEK’s) trusted beside the development key; without it only the development key is', async () => {
    // Stands in for CEK's key: the module trusts it the way it trusts CEK's in production.
    const cek = generateTestKeyPair();
    const dir = project({
      'server.mjs': `import { createExtension, silentLogger } from ${CEKIT};
import { serve } from ${CEKIT_NODE};
const app = createExtension({
  extensionId: 'com.example.tunnel',
  logger: silentLogger,
  verify: { keys: [${JSON.stringify(cek.publicKeyPem)}], bundledKey: false, keyUrl: false },
});
app.launch((ctx) => ctx.say('Through the tunnel.'));
await serve(app);
`,
    });
    const launch = async (url: string, keys: Parameters<typeof createConversation>[0]['keys']) =>
      (
        await createConversation({
          target: url,
          keys,
          extensionId: 'com.example.tunnel',
          strict: false,
        }).launch()
      ).status;
    const trusting = await withDev(
      dir,
      ['server.mjs', '--port', '0', '--once', '--trust-cek', '--host', '0.0.0.0'],
      async ({ url, out, keys }) => {
        expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
        const local = url.replace('0.0.0.0', '127.0.0.1');
        // The hints give an address this machine can reach.
        expect(out.stdout).toContain(`cekit simulate ${local} `);
        expect(out.stdout).toContain("trusts .cekit/dev-key.pem and CEK's keys");
        expect(await launch(local, keys)).toBe(200);
        expect(await launch(local, cek)).toBe(200);
        expect(await launch(local, generateTestKeyPair())).toBe(403);
      },
    );
    expectNoTrace(trusting);
    await withDev(dir, ['server.mjs', '--port', '0', '--once'], async ({ url, keys }) => {
      expect(await launch(url, keys)).toBe(200);
      expect(await launch(url, cek)).toBe(403);
    });
  });

  it('opens the console on its own port, talking to the extension with the development key; the endpoint is untouched', async () => {
    const dir = project({
      'extension.mjs': `import { createExtension, silentLogger } from ${CEKIT};
export default (options) => {
  const app = createExtension({ ...options, logger: silentLogger });
  app.launch((ctx) => ctx.ask('Hello from dev.'));
  return app;
};
`,
      // What cekit init creates: the console resolves sentences with it.
      'models/interaction-model.json': JSON.stringify({
        intents: [{ name: 'HelloIntent', samples: ['hello'] }],
      }),
    });
    const out = await withDev(
      dir,
      [
        'extension.mjs',
        '--port',
        '0',
        '--once',
        '--extension-id',
        'com.example.dev',
        '--access-token',
        'tok-123',
      ],
      async ({ url, out }) => {
        const consoleUrl = await waitFor(
          () => /console: (http:\/\/127\.0\.0\.1:\d+\/) \(talk to it in the browser\)/.exec(out.stdout)?.[1],
          out,
        );
        expect(consoleUrl).not.toBe(url);
        const state = (await (await fetch(`${consoleUrl}api/state`)).json()) as ConsoleState;
        expect(state).toMatchObject({
          target: url,
          signed: true,
          extensionId: 'com.example.dev',
          kinds: ['custom'],
          accessTokenSet: true,
        });
        expect(state.model?.intents.map((intent) => intent.name)).toEqual(['HelloIntent']);
        expect(JSON.stringify(state)).not.toContain('tok-123');
        const run = await fetch(`${consoleUrl}api/run`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ line: '/launch' }),
        });
        const { exchange, session } = (await run.json()) as RunResult;
        expect(exchange.reply).toMatchObject({ status: 200, ok: true });
        // ctx.ask keeps the session open: the answer says so, for the page's header.
        expect(session.open).toBe(true);
        expect(JSON.stringify(exchange.reply?.body)).toContain('Hello from dev.');
        // The extension's endpoint is still only an endpoint.
        expect((await fetch(url)).status).toBe(405);
      },
    );
    expectNoTrace(out);
    // Stopped with dev: nothing listens there any more.
    const consoleUrl = /console: (http:\S+)/.exec(out.stdout)![1]!;
    await expect(fetch(`${consoleUrl}api/state`)).rejects.toThrow();
  });

  it('puts the console beside the extension (port + 1), or on a free port when that one is taken', async () => {
    const dir = project({
      'extension.mjs': `import { createExtension, silentLogger } from ${CEKIT};
export default (options) => {
  const app = createExtension({ ...options, logger: silentLogger });
  app.launch((ctx) => ctx.say('Hi.'));
  return app;
};
`,
    });
    const probe: Server = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const args = ['extension.mjs', '--port', String(port), '--once', '--extension-id', 'com.example.x'];
    const consoleOf = (out: Out) => /console: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out.stdout)?.[1];
    const beside = await withDev(
      dir,
      args,
      async ({ out }) => void (await waitFor(() => consoleOf(out), out)),
    );
    expect(consoleOf(beside)).toBe(String(port + 1));

    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port + 1, '127.0.0.1', resolve));
    try {
      const elsewhere = await withDev(
        dir,
        args,
        async ({ out }) => void (await waitFor(() => consoleOf(out), out)),
      );
      expect(consoleOf(elsewhere)).not.toBe(String(port + 1));
    } finally {
      blocker.close();
    }
  });

  it('--no-console starts no console', async () => {
    const dir = project({
      'extension.mjs': `import { createExtension, silentLogger } from ${CEKIT};
export default (options) => {
  const app = createExtension({ ...options, logger: silentLogger });
  app.launch((ctx) => ctx.say('Hi.'));
  return app;
};
`,
    });
    const out = await withDev(
      dir,
      ['extension.mjs', '--port', '0', '--once', '--no-console', '--extension-id', 'com.example.x'],
      async () => undefined,
    );
    expect(out.stdout).not.toContain('console:');
  });

  it('is refused when NODE_ENV=production, and --region needs --trust-cek', async () => {
    const dir = project({ 'x.mjs': 'export default () => ({});\n' });
    const production = bufferIo(dir, { env: { NODE_ENV: 'production' } });
    expect(await main(['dev', 'x.mjs'], production.io)).toBe(2);
    expect(production.out.stderr).toContain('refused when NODE_ENV=production');
    const region = bufferIo(dir);
    expect(await main(['dev', 'x.mjs', '--region', 'kr'], region.io)).toBe(2);
    expect(region.out.stderr).toContain('pass --trust-cek too');
  });
});
