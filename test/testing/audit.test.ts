import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createEndpoint, silentLogger } from 'cekit';
import { serve } from 'cekit/node';
import { auditExtension, generateTestKeyPair, parseCaptured } from 'cekit/testing';
import { createDiceExtension } from '../../examples/dice/extension.js';
import { readFixture } from '../helpers/fixtures.js';

const keys = generateTestKeyPair();
const EXTENSION_ID = 'com.example.dice';
const dice = () =>
  createDiceExtension({ verify: keys.verifyOptions, logger: silentLogger, requestLog: false });

describe('auditExtension', () => {
  it('a cekit extension passes every black-box and trusted check, over HTTP', async () => {
    const server = await serve(dice(), { port: 0, handleSignals: false });
    try {
      const progress: number[] = [];
      const report = await auditExtension({
        target: server.url,
        keys,
        extensionId: EXTENSION_ID,
        onProgress: (_result, done) => progress.push(done),
      });
      const failed = report.checks.filter((check) => !check.passed);
      expect(failed).toEqual([]);
      expect(report.passed).toBe(true);
      expect(report.mode).toBe('trusted');
      expect(report.checks.map((check) => check.id)).toEqual([
        'unsigned',
        'forged-signature',
        'tampered-body',
        'garbage-signature',
        'wrong-content-type',
        'malformed-json',
        'empty-body',
        'oversized-body',
        'wrong-method',
        'not-a-cek-message',
        'wrong-application-id',
        'valid-launch',
        'valid-intent',
        'valid-session-ended',
        'valid-event',
      ]);
      expect(progress).toEqual(report.checks.map((_check, index) => index + 1));
    } finally {
      await server.close();
    }
  });

  it('finds a Custom reply that breaks the schema, with the field path', async () => {
    const endpoint = createEndpoint({
      extensionId: EXTENSION_ID,
      verify: keys.verifyOptions,
      logger: silentLogger,
      requestLog: false,
      dispatcher: {
        kinds: ['custom'],
        dispatch: () => ({
          version: '1.0',
          sessionAttributes: {},
          // The envelope is whole (cekit's endpoint would replace a broken one with the fallback);
          // the speech inside it is not.
          response: {
            outputSpeech: { type: 'SimpleSpeech' },
            card: {},
            directives: [],
            shouldEndSession: true,
          },
        }),
      },
    });
    const report = await auditExtension({ target: endpoint, keys, extensionId: EXTENSION_ID });
    expect(report.passed).toBe(false);
    const launch = report.checks.find((check) => check.id === 'valid-launch')!;
    expect(launch.passed).toBe(false);
    expect(launch.reason).toContain('response.outputSpeech.values: is required');
  });

  it('replays captured CEK requests (real signature, bundled key) and a tampered copy', async () => {
    const vector = readFixture<{ rawBody: string; signatureCEK: string }>(
      'validation/signed-launch-request.json',
    );
    const replay = parseCaptured(vector);
    const applicationId = (
      JSON.parse(vector.rawBody) as { context: { System: { application: { applicationId: string } } } }
    ).context.System.application.applicationId;
    const app = createDiceExtension({
      extensionId: applicationId,
      verify: { keyUrl: false },
      logger: silentLogger,
      requestLog: false,
    });
    const report = await auditExtension({ target: app, replay });
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    expect(byId['replay-1']).toMatchObject({ passed: true, status: 200 });
    expect(byId['replay-1-tampered']).toMatchObject({ passed: true });
    expect(byId['replay-1-tampered']!.status).toBeGreaterThanOrEqual(400);
    expect(report.passed).toBe(true);
  });

  it("finds the official Node SDK's known fault: a forged request answered with 500", async () => {
    // The SDK's documented setup (express 4, current when the SDK was maintained): express + clova.Middleware({ applicationId }) + the skill handler.
    const require = createRequire(import.meta.url);
    const clova = require('@line/clova-cek-sdk-nodejs') as {
      Client: { configureSkill(): SkillBuilder };
      Middleware(options: { applicationId: string }): unknown;
    };
    interface SkillBuilder {
      onLaunchRequest(handler: (helper: { setSimpleSpeech(speech: object): void }) => void): SkillBuilder;
      handle(): unknown;
    }
    const express = require('express4') as () => {
      post(path: string, ...handlers: unknown[]): void;
      listen(port: number, host: string, callback: () => void): Server;
    };
    const handler = clova.Client.configureSkill()
      .onLaunchRequest((helper) =>
        helper.setSimpleSpeech({ lang: 'ja', type: 'PlainText', value: 'こんにちは' }),
      )
      .handle();
    const app = express();
    app.post('/clova', clova.Middleware({ applicationId: EXTENSION_ID }), handler);
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const restoreConsole = muteConsoleError();
    try {
      const { port } = server.address() as AddressInfo;
      const report = await auditExtension({
        target: `http://127.0.0.1:${port}/clova`,
        extensionId: EXTENSION_ID,
      });
      expect(report.passed).toBe(false);
      const forged = report.checks.find((check) => check.id === 'forged-signature')!;
      expect(forged).toMatchObject({ passed: false, status: 500 });
      expect(forged.reason).toMatch(/server error instead of a refusal/);
    } finally {
      restoreConsole();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** express prints the SDK's errors with their stacks; keep the test output readable. */
function muteConsoleError() {
  const original = console.error;
  console.error = () => undefined;
  return () => {
    console.error = original;
  };
}
