import { describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger, type Dispatcher } from 'cekit';
import { toFetchHandler } from 'cekit/fetch';
import { generateTestKeyPair } from 'cekit/testing';
import { signedVector } from '../helpers/fixtures.js';

const keys = generateTestKeyPair();
let calls = 0;
const dispatcher: Dispatcher = {
  kinds: ['custom'],
  dispatch: () => {
    calls++;
    return {
      version: '1.0',
      sessionAttributes: {},
      response: { card: {}, directives: [], shouldEndSession: true },
    };
  },
};
const handler = toFetchHandler(
  createEndpoint({
    dispatcher,
    verify: { keys: [keys.publicKeyPem], keyUrl: false },
    extensionId: 'com.chens.morning',
    bodyLimit: 4096,
    logger: silentLogger,
  }),
);
const launch = signedVector('signed-launch-request');
const URL_ = 'http://127.0.0.1/clova';

/** A body that arrives in pieces, as a streaming upload would, without a Content-Length. */
function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const next = parts.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

describe('cekit/fetch: toFetchHandler with real Request and Response objects', () => {
  it('accepts the real CEK-signed LaunchRequest', async () => {
    const res = await handler(
      new Request(URL_, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json;charset-UTF-8', SignatureCEK: launch.signatureCEK },
        body: launch.rawBody,
      }),
    );
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await res.json()).toMatchObject({ version: '1.0', response: { shouldEndSession: true } });
  });

  it('verifies the exact bytes of a streamed body', async () => {
    const bytes = Buffer.from(launch.rawBody);
    const before = calls;
    const res = await handler(
      new Request(URL_, {
        method: 'POST',
        headers: { 'content-type': 'application/json', signaturecek: launch.signatureCEK },
        body: streamOf([bytes.subarray(0, 100), bytes.subarray(100, 700), bytes.subarray(700)]),
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(200);
    expect(calls).toBe(before + 1);
  });

  it.each([
    ['a declared oversize body', { 'content-length': '999999' }, 'x'.repeat(10)],
    ['an undeclared oversize body', {}, 'x'.repeat(10_000)],
  ])('answers %s with 413 before verifying', async (_name, extra, body) => {
    const before = calls;
    const res = await handler(
      new Request(URL_, {
        method: 'POST',
        headers: { 'content-type': 'application/json', signaturecek: keys.sign(body), ...extra },
        body: streamOf([Buffer.from(body)]),
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    expect(calls).toBe(before);
  });

  it('answers a broken body stream with a JSON 400, not a 500', async () => {
    const res = await handler(
      new Request(URL_, {
        method: 'POST',
        headers: { 'content-type': 'application/json', signaturecek: launch.signatureCEK },
        body: new ReadableStream({
          pull(controller) {
            controller.error(new Error('connection reset'));
          },
        }),
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'MALFORMED_HTTP' } });
  });

  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT'])('answers %s with 405 and Allow: POST', async (method) => {
    const res = await handler(new Request(URL_, { method }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    if (method !== 'HEAD') expect(await res.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('refuses a forged request with 403 and a JSON body', async () => {
    const before = calls;
    const res = await handler(
      new Request(URL_, {
        method: 'POST',
        headers: { 'content-type': 'application/json', signaturecek: launch.signatureCEK },
        body: launch.rawBody.replace('LaunchRequest', 'IntentRequest'),
      }),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
    expect(calls).toBe(before);
  });

  it('refuses duplicated SignatureCEK headers (Headers joins them with ", ")', async () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    headers.append('SignatureCEK', launch.signatureCEK);
    headers.append('SignatureCEK', launch.signatureCEK);
    const res = await handler(new Request(URL_, { method: 'POST', headers, body: launch.rawBody }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'SIGNATURE_DUPLICATED' } });
  });
});
