import { describe, expect, it } from 'vitest';
import { silentLogger } from 'cekit';
import { buildIntentRequest, buildLaunchRequest, generateTestKeyPair } from 'cekit/testing';
import type { LambdaHttpResult } from 'cekit/lambda';
import { createApp } from '../../examples/express/app.js';
import { createHandler } from '../../examples/lambda/handler.js';
import { listenOnLoopback } from './loopback.js';

const keys = generateTestKeyPair();
const options = {
  verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false as const },
  random: () => 0.5, // every die shows 4
  logger: silentLogger,
  requestLog: false as const,
};
const rollThree = JSON.stringify(
  buildIntentRequest('ThrowDiceIntent', { diceCount: '3' }, { extensionId: 'com.example.dice' }),
);

describe('examples/express', () => {
  it('answers a signed CEK request behind a global express.json() thanks to keepRawBody', async () => {
    const served = await listenOnLoopback(createApp(options));
    try {
      const answer = await served.send({
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=UTF-8', signaturecek: keys.sign(rollThree) },
        body: Buffer.from(rollThree),
      });
      expect(answer.status).toBe(200);
      expect(JSON.stringify(JSON.parse(answer.body).response.outputSpeech)).toContain('12');
    } finally {
      await served.close();
    }
  });

  it('refuses an unsigned request and keeps its ordinary JSON routes working', async () => {
    const served = await listenOnLoopback(createApp(options));
    const api = await listenOnLoopback(createApp(options), '/api/rolls');
    try {
      const unsigned = await served.send({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(rollThree),
      });
      expect(unsigned.status).toBe(401);
      expect(JSON.parse(unsigned.body).error.code).toBe('SIGNATURE_MISSING');
      // Malformed JSON, which the global parser refuses first: still cekit's JSON, no HTML page.
      const malformed = await served.send({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"context":'),
      });
      expect(malformed.status).toBe(401);
      expect(malformed.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(malformed.body).error.code).toBe('SIGNATURE_MISSING');
      const rolls = await api.send({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"count":2}'),
      });
      expect(JSON.parse(rolls.body)).toMatchObject({ count: 2 });
    } finally {
      await served.close();
      await api.close();
    }
  });
});

describe('examples/lambda', () => {
  const handler = createHandler(options);

  it('answers through an HTTP API (v2) event', async () => {
    const result = (await handler({
      version: '2.0',
      routeKey: 'POST /clova',
      rawPath: '/clova',
      headers: { 'content-type': 'application/json', signaturecek: keys.sign(rollThree) },
      requestContext: { http: { method: 'POST', path: '/clova' } },
      body: rollThree,
      isBase64Encoded: false,
    })) as LambdaHttpResult;
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('12');
  });

  it('answers through a REST API (v1) event with a base64 body and CEK-cased headers', async () => {
    const launch = JSON.stringify(buildLaunchRequest({ extensionId: 'com.example.dice' }));
    const result = (await handler({
      httpMethod: 'POST',
      path: '/clova',
      headers: { 'Content-Type': 'application/json;charset-UTF-8', SignatureCEK: keys.sign(launch) },
      multiValueHeaders: {
        'Content-Type': ['application/json;charset-UTF-8'],
        SignatureCEK: [keys.sign(launch)],
      },
      body: Buffer.from(launch).toString('base64'),
      isBase64Encoded: true,
    })) as LambdaHttpResult;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).response.shouldEndSession).toBe(false);
  });

  it('refuses a direct invocation (no signature to verify)', async () => {
    const launch = buildLaunchRequest({ extensionId: 'com.example.dice' }) as unknown as Record<
      string,
      unknown
    >;
    expect(await handler(launch)).toMatchObject({ error: { code: 'SIGNATURE_MISSING' } });
  });
});
