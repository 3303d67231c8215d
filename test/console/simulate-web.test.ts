import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from 'cekit';
import { serve, type RunningServer } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';
import { createDiceExtension } from '../../examples/dice/extension.js';
import { main } from '../../src/cli/main.js';
import type { ConsoleState, RunResult } from '../../src/console/protocol.js';
import { bufferIo } from '../cli/io.js';
import { waitFor } from '../helpers/wait-for.js';

/** `cekit simulate <url> --web`: the console for a running extension, until Ctrl+C. */
let cwd: string;
let dice: RunningServer;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'cekit-web-'));
  const keys = generateTestKeyPair();
  writeFileSync(join(cwd, 'key.pem'), keys.privateKeyPem);
  dice = await serve(
    createDiceExtension({
      verify: keys.verifyOptions,
      random: () => 0,
      logger: silentLogger,
      requestLog: false,
    }),
    { port: 0, handleSignals: false },
  );
});

afterAll(async () => {
  await dice?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('cekit simulate --web', () => {
  it('starts the console for the extension, signed with --key, and stops on Ctrl+C', async () => {
    const controller = new AbortController();
    const { io, out } = bufferIo(cwd, { signal: controller.signal });
    const running = main(
      [
        'simulate',
        dice.url,
        '--web',
        '--port',
        '0',
        '--key',
        'key.pem',
        '--extension-id',
        'com.example.dice',
      ],
      io,
    );
    try {
      const url = await waitFor(
        () => /console ready on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.stdout)?.[1],
        out,
      );
      expect(out.stdout).toContain(`talking to ${dice.url} (signed)`);
      const state = (await (await fetch(`${url}api/state`)).json()) as ConsoleState;
      expect(state).toMatchObject({
        target: dice.url,
        signed: true,
        extensionId: 'com.example.dice',
        model: null,
      });
      const answer = await fetch(`${url}api/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ line: '/launch' }),
      });
      const { exchange } = (await answer.json()) as RunResult;
      expect(exchange.reply?.status).toBe(200);
    } finally {
      controller.abort();
      expect(await running).toBe(0);
    }
  });

  it('refuses --web with --script, and console flags without --web', async () => {
    for (const args of [['--web', '--script', 'x.txt'], ['--port', '4000'], ['--no-open']]) {
      const { io, out } = bufferIo(cwd);
      expect(await main(['simulate', dice.url, ...args], io)).toBe(2);
      expect(out.stderr).toMatch(/choose one|add --web/);
    }
  });
});
