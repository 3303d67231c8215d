import { describe, expect, it, vi } from 'vitest';
import { createEndpoint, silentLogger, type Dispatcher, type RawRequest } from 'cekit';
import { generateTestKeyPair } from 'cekit/testing';
import { signedVector } from '../helpers/fixtures.js';

const echo = (): Dispatcher & { calls: number } => {
  const d = {
    kinds: ['custom', 'home'] as const,
    calls: 0,
    dispatch() {
      d.calls++;
      return {
        version: '1.0',
        sessionAttributes: {},
        response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
      };
    },
  };
  return d;
};

const post = (
  body: string,
  signature?: string,
  contentType = 'application/json;charset-UTF-8',
): RawRequest => ({
  method: 'POST',
  headers: { 'Content-Type': contentType, ...(signature === undefined ? {} : { SignatureCEK: signature }) },
  body: Buffer.from(body, 'utf8'),
});

describe('endpoint with the bundled JP key and the real CEK-signed vectors', () => {
  const launch = signedVector('signed-launch-request');
  const guide = signedVector('signed-guide-intent-request');

  it('accepts the real signed LaunchRequest', async () => {
    const dispatcher = echo();
    const endpoint = createEndpoint({
      dispatcher,
      extensionId: 'com.chens.morning',
      verify: { keyUrl: false },
      logger: silentLogger,
    });
    const res = await endpoint.handle(post(launch.rawBody, launch.signatureCEK));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(dispatcher.calls).toBe(1);
  });

  it('accepts the real signed guide intent only when the applicationId check is opted out', async () => {
    const strict = createEndpoint({
      dispatcher: echo(),
      extensionId: 'com.chens.morning',
      verify: { keyUrl: false },
      logger: silentLogger,
    });
    expect((await strict.handle(post(guide.rawBody, guide.signatureCEK))).status).toBe(403);
    const open = createEndpoint({
      dispatcher: echo(),
      allowAnyExtensionId: true,
      verify: { keyUrl: false },
      logger: silentLogger,
    });
    expect((await open.handle(post(guide.rawBody, guide.signatureCEK))).status).toBe(200);
  });

  it.each(['tampered-body', 'tampered-signature'])(
    'refuses %s without reaching the handler',
    async (name) => {
      const vector = signedVector(name);
      const dispatcher = echo();
      const endpoint = createEndpoint({
        dispatcher,
        allowAnyExtensionId: true,
        verify: { keyUrl: false },
        logger: silentLogger,
      });
      const res = await endpoint.handle(post(vector.rawBody, vector.signatureCEK));
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
      expect(dispatcher.calls).toBe(0);
    },
  );
});

describe('endpoint with a generated test key', () => {
  const keys = generateTestKeyPair();
  const body = JSON.stringify({
    version: '1.0',
    session: { new: true, sessionAttributes: {}, sessionId: 's', user: { userId: 'u' } },
    context: {
      System: {
        application: { applicationId: 'com.example.dice' },
        device: { deviceId: 'd' },
        user: { userId: 'u' },
      },
    },
    request: { type: 'LaunchRequest' },
  });
  const make = (dispatcher: Dispatcher, extra = {}) =>
    createEndpoint({
      dispatcher,
      extensionId: 'com.example.dice',
      verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
      logger: silentLogger,
      ...extra,
    });

  it('verifies and dispatches', async () => {
    const res = await make(echo()).handle(post(body, keys.sign(body)));
    expect(res.status).toBe(200);
  });

  it('answers a throwing handler with a valid fallback, not a 500', async () => {
    const dispatcher: Dispatcher = {
      kinds: ['custom'],
      dispatch: () => {
        throw new Error('boom');
      },
    };
    const res = await make(dispatcher).handle(post(body, keys.sign(body)));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ response: { shouldEndSession: true } });
  });

  it('answers a hanging handler with the fallback within the budget and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const dispatcher: Dispatcher = {
      kinds: ['custom'],
      dispatch: (_m, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      },
      fallback: () => ({
        version: '1.0',
        sessionAttributes: {},
        response: {
          outputSpeech: { type: 'SimpleSpeech', values: { type: 'PlainText', lang: 'en', value: 'Sorry' } },
          card: {},
          directives: [],
          shouldEndSession: true,
        },
      }),
    };
    const started = Date.now();
    const res = await make(dispatcher, { responseBudgetMs: 50 }).handle(post(body, keys.sign(body)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(200);
    expect(res.body).toContain('Sorry');
    expect(signal?.aborted).toBe(true);
  });

  it('refuses to start without an extension ID for a Custom dispatcher', () => {
    expect(() =>
      createEndpoint({
        dispatcher: echo(),
        verify: { keys: [keys.publicKeyPem], keyUrl: false },
        logger: silentLogger,
      }),
    ).toThrow(/extensionId/);
  });

  it('refuses verify:false in production', () => {
    const prev = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() =>
        createEndpoint({
          dispatcher: echo(),
          allowAnyExtensionId: true,
          verify: false,
          logger: silentLogger,
        }),
      ).toThrow(/production/);
    } finally {
      process.env.NODE_ENV = prev;
    }
  });

  it('logs loudly when verification is disabled', () => {
    const warn = vi.fn();
    createEndpoint({
      dispatcher: echo(),
      allowAnyExtensionId: true,
      verify: false,
      logger: { ...silentLogger, warn },
    });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/DISABLED/));
  });
});
