import type { RequestListener } from 'node:http';
import { register } from 'tsx/cjs/api';
import { describe, expect, it } from 'vitest';
import { silentLogger } from 'cekit';
import { buildIntentRequest, buildLaunchRequest, generateTestKeyPair } from 'cekit/testing';
import type { LambdaHttpResult } from 'cekit/lambda';
import { createApp } from '../../examples/express/app.js';
import { createHandler } from '../../examples/lambda/handler.js';
import { signedVector } from '../helpers/fixtures.js';
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

// examples/clova-sdk is CommonJS JavaScript that calls require('cekit/clova-sdk'), as an extension
// written for the official SDK does. tsx's require hook resolves that name through tsconfig.json's
// paths to the TypeScript sources, as `npx tsx examples/clova-sdk/main.cjs` does: nothing to build.
type ClovaSdkExample = { createApp: (options?: Record<string, unknown>) => RequestListener };
const cjs = register({ namespace: 'examples-clova-sdk' });
const sdkApp = cjs.require('../../examples/clova-sdk/app.cjs', import.meta.url) as ClovaSdkExample;
const sdkMigrating = cjs.require(
  '../../examples/clova-sdk/migrating.cjs',
  import.meta.url,
) as ClovaSdkExample;

describe('examples/clova-sdk', () => {
  // A LaunchRequest CEK really sent and signed, for the Extension ID com.chens.morning: verified with
  // the bundled CEK key, as in production (no key download in a test).
  const cek = signedVector('signed-launch-request');
  const quiet = { logger: silentLogger, requestLog: false as const };
  const real = { applicationId: 'com.chens.morning', verify: { keyUrl: false as const }, ...quiet };
  const post = (headers: Record<string, string>, body: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json;charset-UTF-8', ...headers },
    body: Buffer.from(body),
  });

  it('answers a real CEK-signed LaunchRequest through Middleware + skill.handle()', async () => {
    const served = await listenOnLoopback(sdkApp.createApp(real));
    try {
      const answer = await served.send(post({ signaturecek: cek.signatureCEK }, cek.rawBody));
      expect(answer.status).toBe(200);
      const { response } = JSON.parse(answer.body);
      expect(response.outputSpeech).toEqual({
        type: 'SimpleSpeech',
        values: { type: 'PlainText', lang: 'ja', value: 'おはようございます。何時に起こしましょうか?' },
      });
      expect(response.reprompt.outputSpeech.values.value).toContain('7時に起こして');
      expect(response.shouldEndSession).toBe(false);
    } finally {
      await served.close();
    }
  });

  it('refuses forged, unsigned and misdirected requests with a JSON 4xx, never a 500', async () => {
    const served = await listenOnLoopback(sdkApp.createApp(real));
    const elsewhere = await listenOnLoopback(
      sdkApp.createApp({ ...real, applicationId: 'com.example.other' }),
    );
    try {
      const refusals = [
        [
          served,
          post({ signaturecek: cek.signatureCEK }, cek.rawBody.replace('LaunchRequest', 'IntentRequest')),
        ],
        [served, post({ signaturecek: cek.signatureCEK.replace(/^.{8}/, 'AAAAAAAA') }, cek.rawBody)],
        [served, post({}, cek.rawBody)],
        [elsewhere, post({ signaturecek: cek.signatureCEK }, cek.rawBody)],
      ] as const;
      const seen = [];
      for (const [target, request] of refusals) {
        const answer = await target.send(request);
        expect(answer.headers['content-type']).toMatch(/^application\/json/);
        seen.push(`${answer.status} ${JSON.parse(answer.body).error.code}`);
      }
      expect(seen).toEqual([
        '403 SIGNATURE_INVALID',
        '403 SIGNATURE_INVALID',
        '401 SIGNATURE_MISSING',
        '403 APPLICATION_ID_MISMATCH',
      ]);
    } finally {
      await served.close();
      await elsewhere.close();
    }
  });

  it("answers each intent from the switch on getIntentName(), and an empty slot with getSlot()'s null", async () => {
    const keys = generateTestKeyPair();
    const options = { applicationId: 'com.example.morning', verify: keys.verifyOptions, ...quiet };
    const served = await listenOnLoopback(sdkApp.createApp(options));
    const ask = async (name: string, slots: Record<string, string> = {}) => {
      const body = JSON.stringify(buildIntentRequest(name, slots, { extensionId: 'com.example.morning' }));
      const { response } = JSON.parse(
        (await served.send(post({ signaturecek: keys.sign(body) }, body))).body,
      );
      return `${response.outputSpeech.values.value}${response.shouldEndSession ? ' [end]' : ''}`;
    };
    try {
      expect(await ask('SetAlarmIntent', { time: '7時' })).toBe('7時に起こします。おやすみなさい。 [end]');
      expect(await ask('SetAlarmIntent')).toBe('何時にしますか?');
      expect(await ask('Clova.NoIntent')).toBe('わかりました。またどうぞ。 [end]');
      expect(await ask('OrderPizza')).toBe('すみません、もう一度お願いします。');
    } finally {
      await served.close();
    }
  });

  it('mid-migration: the native handlers answer first, the SDK handlers the rest, behind one URL', async () => {
    const keys = generateTestKeyPair();
    const options = { applicationId: 'com.example.morning', verify: keys.verifyOptions, ...quiet };
    const served = await listenOnLoopback(sdkMigrating.createApp(options));
    const send = async (message: object) => {
      const body = JSON.stringify(message);
      const answer = await served.send(post({ signaturecek: keys.sign(body) }, body));
      expect(answer.status).toBe(200);
      const { response } = JSON.parse(answer.body);
      return `${response.outputSpeech.values.value}${response.shouldEndSession ? ' [end]' : ''}`;
    };
    const intent = (name: string, slots: Record<string, string> = {}) =>
      send(buildIntentRequest(name, slots, { extensionId: 'com.example.morning' }));
    try {
      // Native (createExtension): ctx.say() ends the session, ctx.ask() keeps it.
      expect(await intent('SetAlarmIntent', { time: '6時半' })).toBe(
        '6時半に起こします。おやすみなさい。 [end]',
      );
      expect(await intent('SetAlarmIntent')).toBe('何時にしますか?');
      expect(await intent('Clova.GuideIntent')).toContain('6時半');
      // Still the SDK's handlers.
      expect(await send(buildLaunchRequest({ extensionId: 'com.example.morning' }))).toBe(
        'おはようございます。何時に起こしましょうか?',
      );
      expect(await intent('Clova.CancelIntent')).toBe('わかりました。またどうぞ。 [end]');
      // Unsigned: refused by the same endpoint, whichever side would have answered.
      const unsigned = await served.send(post({}, JSON.stringify(buildLaunchRequest())));
      expect(unsigned.status).toBe(401);
      expect(JSON.parse(unsigned.body).error.code).toBe('SIGNATURE_MISSING');
    } finally {
      await served.close();
    }
  });
});
