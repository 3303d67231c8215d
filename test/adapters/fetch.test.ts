import { describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger, type Dispatcher } from 'cekit';
import { toFetchHandler } from 'cekit/fetch';
import { generateTestKeyPair } from 'cekit/testing';
import { signedVector } from '../helpers/fixtures.js';
import { runConformance, type WireAnswer, type WireRequest } from './conformance.js';

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

/**
 * A wire request as a Fetch runtime (Bun, Deno, Workers) hands it over: repeated header lines
 * appended, Content-Length present unless the upload is chunked, and the body a stream.
 */
function requestOf(input: WireRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(input.headers))
    for (const one of [value].flat()) headers.append(name, one);
  const bytes = input.body ?? new Uint8Array(0);
  if (!input.chunked && (bytes.byteLength > 0 || input.method === 'POST'))
    headers.set('content-length', String(bytes.byteLength));
  let body: ReadableStream<Uint8Array> | undefined;
  if (input.abortAfter !== undefined) {
    // The client drops the connection after a few bytes: the stream errors, as a runtime's would.
    const sent = bytes.subarray(0, input.abortAfter);
    body = new ReadableStream({
      start(controller) {
        controller.enqueue(sent);
        controller.error(new Error('connection reset'));
      },
    });
  } else if (input.chunked) {
    const step = Math.max(1, Math.ceil(bytes.byteLength / 4));
    const parts: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.byteLength; offset += step)
      parts.push(bytes.subarray(offset, offset + step));
    body = streamOf(parts);
  } else if (bytes.byteLength > 0) {
    body = streamOf([bytes]);
  }
  return new Request(URL_, { method: input.method, headers, body, duplex: 'half' } as RequestInit);
}

async function answerOf(response: Response): Promise<WireAnswer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: await response.text() };
}

runConformance({
  name: 'cekit/fetch',
  streams: true,
  socket: false,
  serve: async (endpoint) => {
    const fetchHandler = toFetchHandler(endpoint);
    return {
      send: async (input) => {
        const answer = await answerOf(await fetchHandler(requestOf(input)));
        // Like the HTTP harness: nobody is left to read the answer to an abandoned upload.
        return input.abortAfter === undefined ? answer : { status: 0, headers: {}, body: '' };
      },
      close: async () => {},
    };
  },
});

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

  /** POSTs an endless body of 1 KiB chunks, counting how many chunks the handler pulled. */
  async function postEndless(headers: Record<string, string>) {
    const pulled = { count: 0 };
    const body = new ReadableStream<Uint8Array>(
      { pull: (controller) => (pulled.count++, controller.enqueue(new Uint8Array(1024))) },
      { highWaterMark: 0 },
    );
    const res = await handler(
      new Request(URL_, { method: 'POST', headers, body, duplex: 'half' } as RequestInit),
    );
    return { res, pulls: pulled.count };
  }

  it('refuses a declared oversize body without pulling a byte of it', async () => {
    const { res, pulls } = await postEndless({
      'content-type': 'application/json',
      'content-length': '999999',
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toContain('The limit is 4096 bytes.');
    expect(pulls).toBe(0);
  });

  it('stops reading an endless undeclared body just past the limit', async () => {
    const { res, pulls } = await postEndless({ 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    // 4096 bytes fit in four 1 KiB chunks; the fifth passes the limit, and reading stops there.
    expect(pulls).toBeLessThanOrEqual(6);
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
