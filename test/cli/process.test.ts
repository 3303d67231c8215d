import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConversation, loadTestKeyPair } from 'cekit/testing';
import { main } from '../../src/cli/main.js';
import { bufferIo } from './io.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CEKIT_SOURCE = pathToFileURL(fileURLToPath(new URL('../../src/index.ts', import.meta.url))).href;

/** Runs the CLI as users do: a separate Node process (from source, through tsx). */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=cekit-source', '--import', TSX, CLI, ...args],
      { timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The official SDK's documented setup: express + clova.Middleware({ applicationId }) + a skill handler. */
async function startOfficialSdkExtension(): Promise<{ url: string; close(): Promise<void> }> {
  const require = createRequire(import.meta.url);
  const clova = require('@line/clova-cek-sdk-nodejs') as {
    Client: {
      configureSkill(): {
        onLaunchRequest(h: (r: { setSimpleSpeech(s: object): void }) => void): { handle(): unknown };
      };
    };
    Middleware(options: { applicationId: string }): unknown;
  };
  const express = require('express4') as () => {
    post(path: string, ...handlers: unknown[]): void;
    listen(port: number, host: string, callback: () => void): Server;
  };
  const app = express();
  const handler = clova.Client.configureSkill()
    .onLaunchRequest((r) => r.setSimpleSpeech({ lang: 'ja', type: 'PlainText', value: 'こんにちは' }))
    .handle();
  app.post('/clova', clova.Middleware({ applicationId: 'com.example.sdk' }), handler);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const original = console.error;
  console.error = () => undefined; // express prints the SDK's verification errors with stacks
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/clova`,
    close: async () => {
      console.error = original;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('cekit as a child process', () => {
  it('cekit check finds the official Node SDK answering a forged request with 500 (exit code 1)', async () => {
    const sdk = await startOfficialSdkExtension();
    try {
      const result = await runCli(['check', sdk.url, '--extension-id', 'com.example.sdk']);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /FAIL Request signed with an unknown key is refused\n\s+answered 500 text\/html in \d+ ms: a server error instead of a refusal/,
      );
      expect(result.stdout).toMatch(/checks failed/);
    } finally {
      await sdk.close();
    }
  });

  it('prints its version', async () => {
    const result = await runCli(['--version']);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });
});

describe('cekit dev', () => {
  it('serves a module trusting the development key and reloads it when the file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cekit-dev-'));
    // The greeting lives in a subfolder: changes there reload too.
    mkdirSync(join(dir, 'lib'));
    writeFileSync(
      join(dir, 'extension.mjs'),
      `import { createExtension, silentLogger } from ${JSON.stringify(CEKIT_SOURCE)};
import { greeting } from './lib/greeting.mjs';
export default (options) => {
  const app = createExtension({ ...options, logger: silentLogger });
  app.launch((ctx) => ctx.say(greeting));
  return app;
};
`,
    );
    const write = (greeting: string) =>
      writeFileSync(join(dir, 'lib/greeting.mjs'), `export const greeting = ${JSON.stringify(greeting)};\n`);
    write('Version one.');
    const controller = new AbortController();
    const { io, out } = bufferIo(dir, { signal: controller.signal });
    const running = main(['dev', 'extension.mjs', '--port', '0', '--extension-id', 'com.example.dev'], io);
    try {
      const url = await waitFor(
        () => /extension ready on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.stdout)?.[1],
        out,
      );
      expect(out.stdout).toContain(
        `cekit simulate ${url} --key .cekit/dev-key.pem --extension-id com.example.dev`,
      );
      const keys = loadTestKeyPair(readFileSync(join(dir, '.cekit/dev-key.pem'), 'utf8'));
      const cek = createConversation({ target: url, keys, extensionId: 'com.example.dev' });
      expect((await cek.launch()).speech).toBe('Version one.');

      write('Version two.');
      await waitFor(() => out.stdout.includes('reloaded, listening on') || undefined, out);
      expect(out.stdout).toContain(`reloaded, listening on ${url}`);
      expect(out.stdout).toMatch(/change in lib\/greeting\.mjs, reloading/);
      expect((await cek.launch()).speech).toBe('Version two.');
    } finally {
      controller.abort();
      expect(await running).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function waitFor<T>(
  probe: () => T | undefined,
  out: { stdout: string; stderr: string },
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out; stdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
