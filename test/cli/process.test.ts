import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the CLI as users do: a separate Node process (from source, through tsx). */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, CLI, ...args],
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
