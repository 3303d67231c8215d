import { constants, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger, type Dispatcher, type RejectionCode } from 'cekit';
import { toFetchHandler } from 'cekit/fetch';
import { serve, type RunningServer } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';
import { signedVector } from '../helpers/fixtures.js';
import { send, sendRaw } from './http-client.js';

/**
 * Every hostile request below is sent three times: straight into `endpoint.handle`, over loopback HTTP
 * to a real `cekit/node` server, and as a real `Request` to the `cekit/fetch` handler. Each must get its exact status, code and JSON body, and the handler
 * must never run.
 */

const EXTENSION_ID = 'com.example.dice';
const keys = generateTestKeyPair();
const otherKeys = generateTestKeyPair();
const launch = signedVector('signed-launch-request');

function customMessage(applicationId: string | null = EXTENSION_ID, withContext = true) {
  return {
    version: '1.0',
    session: { new: true, sessionAttributes: {}, sessionId: 's-1', user: { userId: 'u-1' } },
    ...(withContext
      ? {
          context: {
            System: {
              application: applicationId === null ? {} : { applicationId },
              device: { deviceId: 'd-1' },
              user: { userId: 'u-1' },
            },
          },
        }
      : {}),
    request: { type: 'LaunchRequest' },
  };
}

const validText = JSON.stringify(customMessage());
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const JSON_TYPE = 'application/json;charset-UTF-8';

/** A body signed correctly with the trusted test key, so only the property under test is wrong. */
function signedCase(body: Buffer | string, contentType = JSON_TYPE) {
  const bytes = typeof body === 'string' ? utf8(body) : body;
  return { body: bytes, headers: { 'content-type': contentType, signaturecek: keys.sign(bytes) } };
}

function withSignature(body: Buffer | string, signature: string | readonly string[]) {
  return {
    body: typeof body === 'string' ? utf8(body) : body,
    headers: { 'content-type': JSON_TYPE, signaturecek: signature },
  };
}

const sigOf = (body: string, algorithm: string, options: { pss?: boolean; key?: string } = {}) =>
  sign(
    algorithm,
    utf8(body),
    options.pss
      ? { key: options.key ?? keys.privateKeyPem, padding: constants.RSA_PKCS1_PSS_PADDING }
      : (options.key ?? keys.privateKeyPem),
  ).toString('base64');

const validSig = keys.sign(validText);
const nested = (depth: number) =>
  `{"request":{"type":"LaunchRequest"},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
const BODY_LIMIT = 8 * 1024;
const huge = utf8(`{"request":{"type":"LaunchRequest"},"pad":"${'x'.repeat(BODY_LIMIT * 3)}"}`);

interface HostileCase {
  name: string;
  method?: string;
  body: Buffer;
  headers: Record<string, string | readonly string[]>;
  status: number;
  code: RejectionCode;
  /** HTTP only: send chunked / declare a length (a declared length means nothing to `handle`). */
  chunked?: boolean;
  declaredLength?: number;
}

const cases: HostileCase[] = [
  // Signature does not cover these exact bytes.
  {
    name: 'signature over a re-serialised (pretty-printed) body',
    ...withSignature(JSON.stringify(customMessage(), null, 2), validSig),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'trailing newline added after signing',
    ...withSignature(`${validText}\n`, validSig),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'whitespace inserted into the real CEK-signed body',
    ...withSignature(launch.rawBody.replace('"version":', '"version": '), launch.signatureCEK),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'key order changed in the real CEK-signed body',
    ...withSignature(
      launch.rawBody.replace('{"version":"1.0",', '{').replace(/}$/, ',"version":"1.0"}'),
      launch.signatureCEK,
    ),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'valid signature of another body',
    ...withSignature(validText, keys.sign(JSON.stringify(customMessage('com.example.other')))),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'signature by an untrusted key',
    ...withSignature(validText, otherKeys.sign(validText)),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'real vector: tampered body',
    ...withSignature(signedVector('tampered-body').rawBody, signedVector('tampered-body').signatureCEK),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'real vector: tampered signature',
    ...withSignature(
      signedVector('tampered-signature').rawBody,
      signedVector('tampered-signature').signatureCEK,
    ),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  // Wrong algorithms with the trusted key.
  {
    name: 'RSA-PSS signature',
    ...withSignature(validText, sigOf(validText, 'sha256', { pss: true })),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'SHA-1 signature (the obsolete KR scheme)',
    ...withSignature(validText, sigOf(validText, 'sha1')),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'SHA-512 signature',
    ...withSignature(validText, sigOf(validText, 'sha512')),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  // Malformed signature header.
  {
    name: 'signature truncated by one character',
    ...withSignature(validText, validSig.slice(0, -1)),
    status: 400,
    code: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'signature truncated by four characters (still base64)',
    ...withSignature(validText, validSig.slice(0, -4)),
    status: 403,
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'signature with extra padding',
    ...withSignature(validText, `${validSig}====`),
    status: 400,
    code: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'signature in the base64url alphabet',
    ...withSignature(
      launch.rawBody,
      launch.signatureCEK.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    ),
    status: 400,
    code: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'signature with non-base64 characters',
    ...withSignature(validText, `${validSig.slice(0, -4)}!!!!`),
    status: 400,
    code: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'signature with an inner space',
    ...withSignature(validText, `${validSig.slice(0, 100)} ${validSig.slice(100)}`),
    status: 400,
    code: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'absurdly long signature header',
    ...withSignature(validText, 'A'.repeat(4096)),
    status: 400,
    code: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'header injection: URL-encoded CRLF and a second header after the signature',
    ...withSignature(validText, `${validSig}%0D%0AX-Trusted:%201`),
    status: 400,
    code: 'SIGNATURE_MALFORMED',
  },
  {
    name: 'header injection: a second value smuggled with a comma',
    ...withSignature(validText, `${validSig}, ${otherKeys.sign(validText)}`),
    status: 400,
    code: 'SIGNATURE_DUPLICATED',
  },
  {
    name: 'SignatureCEK sent twice (both valid)',
    ...withSignature(validText, [validSig, validSig]),
    status: 400,
    code: 'SIGNATURE_DUPLICATED',
  },
  {
    name: 'SignatureCEK missing',
    body: utf8(validText),
    headers: { 'content-type': JSON_TYPE },
    status: 401,
    code: 'SIGNATURE_MISSING',
  },
  {
    name: 'SignatureCEK empty',
    ...withSignature(validText, ''),
    status: 401,
    code: 'SIGNATURE_MISSING',
  },
  {
    name: 'SignatureCEK only spaces',
    ...withSignature(validText, '   '),
    status: 401,
    code: 'SIGNATURE_MISSING',
  },
  // Body size and content type.
  { name: 'empty body (signed)', ...signedCase(''), status: 400, code: 'EMPTY_BODY' },
  {
    name: 'huge body with a truthful Content-Length',
    ...signedCase(huge),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'huge body sent chunked (no Content-Length)',
    ...signedCase(huge),
    chunked: true,
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'huge declared Content-Length, small body so far',
    ...signedCase(validText),
    declaredLength: 50 * 1024 * 1024,
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'no Content-Type',
    body: utf8(validText),
    headers: { signaturecek: validSig },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'text/plain',
    ...signedCase(validText, 'text/plain'),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  { name: 'text/json', ...signedCase(validText, 'text/json'), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  {
    name: 'application/json-patch+json',
    ...signedCase(validText, 'application/json-patch+json'),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'application/x-www-form-urlencoded',
    ...signedCase(validText, 'application/x-www-form-urlencoded'),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  // Correctly signed, but not acceptable JSON.
  {
    name: '__proto__ key at the top level',
    ...signedCase(`{"__proto__":{"admin":true},${validText.slice(1)}`),
    status: 400,
    code: 'JSON_FORBIDDEN_KEY',
  },
  {
    name: '__proto__ key nested in sessionAttributes',
    ...signedCase(validText.replace('"sessionAttributes":{}', '"sessionAttributes":{"a":{"__proto__":1}}')),
    status: 400,
    code: 'JSON_FORBIDDEN_KEY',
  },
  { name: 'JSON nested 1000 deep', ...signedCase(nested(1000)), status: 400, code: 'JSON_TOO_DEEP' },
  {
    name: 'invalid UTF-8 (lone continuation byte)',
    ...signedCase(Buffer.concat([utf8('{"request":{"type":"'), Buffer.from([0x80, 0xff]), utf8('"}}')])),
    status: 400,
    code: 'INVALID_UTF8',
  },
  {
    name: 'overlong UTF-8 encoding of "/"',
    ...signedCase(Buffer.concat([utf8('{"a":"'), Buffer.from([0xc0, 0xaf]), utf8('"}')])),
    status: 400,
    code: 'INVALID_UTF8',
  },
  {
    name: 'UTF-8 byte order mark before the JSON',
    ...signedCase(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(validText)])),
    status: 400,
    code: 'INVALID_JSON',
  },
  { name: 'truncated JSON', ...signedCase(validText.slice(0, -3)), status: 400, code: 'INVALID_JSON' },
  { name: 'trailing garbage after JSON', ...signedCase(`${validText}x`), status: 400, code: 'INVALID_JSON' },
  { name: 'JSON array', ...signedCase(`[${validText}]`), status: 400, code: 'NOT_AN_OBJECT' },
  { name: 'JSON string', ...signedCase('"LaunchRequest"'), status: 400, code: 'NOT_AN_OBJECT' },
  { name: 'JSON null', ...signedCase('null'), status: 400, code: 'NOT_AN_OBJECT' },
  { name: 'JSON number', ...signedCase('42'), status: 400, code: 'NOT_AN_OBJECT' },
  {
    name: 'valid JSON that is not a CEK message',
    ...signedCase('{"hello":"world"}'),
    status: 400,
    code: 'INVALID_MESSAGE',
  },
  {
    name: '"request" that is not an object',
    ...signedCase('{"version":"1.0","request":"LaunchRequest"}'),
    status: 400,
    code: 'INVALID_MESSAGE',
  },
  {
    name: 'Clova Home message to a Custom-only endpoint',
    ...signedCase(
      '{"header":{"messageId":"m","name":"DiscoverAppliancesRequest","namespace":"ClovaHome","payloadVersion":"1.0"},"payload":{}}',
    ),
    status: 400,
    code: 'UNSUPPORTED_MESSAGE',
  },
  // Correctly signed, but for another extension.
  {
    name: 'wrong applicationId',
    ...signedCase(JSON.stringify(customMessage('com.attacker.extension'))),
    status: 403,
    code: 'APPLICATION_ID_MISMATCH',
  },
  {
    name: 'applicationId missing',
    ...signedCase(JSON.stringify(customMessage(null))),
    status: 403,
    code: 'APPLICATION_ID_MISMATCH',
  },
  {
    name: 'context missing',
    ...signedCase(JSON.stringify(customMessage(EXTENSION_ID, false))),
    status: 403,
    code: 'APPLICATION_ID_MISMATCH',
  },
  {
    name: 'real CEK-signed GuideIntent of another extension',
    ...withSignature(
      signedVector('signed-guide-intent-request').rawBody,
      signedVector('signed-guide-intent-request').signatureCEK,
    ),
    status: 403,
    code: 'APPLICATION_ID_MISMATCH',
  },
  // Methods other than POST, with an otherwise valid request.
  ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'].map((method): HostileCase => ({
    name: `${method} with a valid signed body`,
    method,
    ...signedCase(validText),
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  })),
];

let calls = 0;
const dispatcher: Dispatcher = {
  kinds: ['custom'],
  dispatch() {
    calls++;
    return {
      version: '1.0',
      sessionAttributes: {},
      response: { card: {}, directives: [], shouldEndSession: true },
    };
  },
};

const endpoint = createEndpoint({
  dispatcher,
  // The test key plus the bundled JP key, so the real CEK-signed vectors are part of the suite.
  verify: { keys: [keys.publicKeyPem], keyUrl: false },
  extensionId: [EXTENSION_ID, 'com.chens.morning'],
  bodyLimit: BODY_LIMIT,
  logger: silentLogger,
});

const fetchHandler = toFetchHandler(endpoint);

function chunkedStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) controller.close();
      else controller.enqueue(bytes.subarray(offset, (offset += 4096)));
    },
  });
}

let server: RunningServer;
beforeAll(async () => {
  server = await serve(endpoint, { port: 0, handleSignals: false });
});
afterAll(() => server.close());

describe('hostile inputs', () => {
  it('has at least 30 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(cases)('$name', (c) => {
    // A declared Content-Length is a transport matter: handle() only ever sees the bytes.
    if (c.declaredLength === undefined)
      it(`endpoint.handle → ${c.status} ${c.code}`, async () => {
        const before = calls;
        const res = await endpoint.handle({ method: c.method ?? 'POST', headers: c.headers, body: c.body });
        expect(res.status).toBe(c.status);
        expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
        expect(JSON.parse(res.body)).toEqual({ error: { code: c.code, message: expect.any(String) } });
        if (c.status === 405) expect(res.headers.allow).toBe('POST');
        expect(calls).toBe(before);
      });

    it(`cekit/node over loopback → ${c.status} ${c.code}`, async () => {
      const before = calls;
      const res = await send(server.url, {
        method: c.method ?? 'POST',
        headers: c.headers,
        body: c.body,
        chunked: c.chunked,
        declaredLength: c.declaredLength,
      });
      expect(res.status).toBe(c.status);
      expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
      if (c.status === 405) expect(res.headers.allow).toBe('POST');
      if (c.method === 'HEAD') expect(res.body).toBe('');
      else {
        const parsed = JSON.parse(res.body) as { error: { code: string; message: string } };
        expect(parsed).toEqual({ error: { code: c.code, message: expect.any(String) } });
        expect(parsed.error.message).not.toMatch(/\n\s+at /);
      }
      expect(calls).toBe(before);
    });
  });

  describe.each(cases.filter((c) => c.declaredLength === undefined))('$name', (c) => {
    it(`cekit/fetch with a real Request → ${c.status} ${c.code}`, async () => {
      const before = calls;
      const headers = new Headers();
      for (const [name, value] of Object.entries(c.headers)) {
        for (const one of typeof value === 'string' ? [value] : value) headers.append(name, one);
      }
      const method = c.method ?? 'POST';
      // GET and HEAD requests cannot carry a body in the Fetch API.
      const init: RequestInit & { duplex?: 'half' } =
        method === 'GET' || method === 'HEAD'
          ? { method, headers }
          : c.chunked
            ? { method, headers, body: chunkedStream(c.body), duplex: 'half' }
            : { method, headers, body: new Uint8Array(c.body) };
      const res = await fetchHandler(new Request('http://127.0.0.1/clova', init));
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(await res.json()).toEqual({ error: { code: c.code, message: expect.any(String) } });
      expect(calls).toBe(before);
    });
  });

  it('answers a CR smuggled into a header with a JSON 400, before any handler', async () => {
    const before = calls;
    const raw =
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `SignatureCEK: ${validSig}\rX-Trusted: 1\r\nContent-Length: ${Buffer.byteLength(validText)}\r\n\r\n${validText}`;
    const res = await sendRaw(server.port, raw);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'MALFORMED_HTTP', message: expect.any(String) } });
    expect(calls).toBe(before);
  });

  it('never dispatches when Content-Length lies low (the rest is a malformed next request)', async () => {
    const before = calls;
    const raw =
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nSignatureCEK: ${validSig}\r\n` +
      `Connection: close\r\nContent-Length: ${Buffer.byteLength(validText) - 10}\r\n\r\n${validText}`;
    const res = await sendRaw(server.port, raw);
    // Node reads the declared bytes as one request (whose signature cannot match) and the leftover
    // as the start of a next, unparseable one; whichever refusal is written first, nothing runs.
    expect([400, 403]).toContain(res.status);
    const { code } = (JSON.parse(res.body.split('HTTP/1.1')[0]!) as { error: { code: string } }).error;
    expect(['MALFORMED_HTTP', 'SIGNATURE_INVALID']).toContain(code);
    expect(calls).toBe(before);
  });

  it('answers broken chunked framing with a JSON 400', async () => {
    const raw =
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nSignatureCEK: ${validSig}\r\n` +
      `Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`;
    const res = await sendRaw(server.port, raw);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'MALFORMED_HTTP' } });
  });
});

describe('what must pass', () => {
  const accepted: [string, { body: Buffer; headers: Record<string, string> }][] = [
    [
      'the real CEK-signed LaunchRequest (bundled JP key)',
      withSignature(launch.rawBody, launch.signatureCEK) as never,
    ],
    ['a test-key-signed request, documented content type', signedCase(validText)],
    ['plain application/json', signedCase(validText, 'application/json')],
    ['mixed-case media type with a charset', signedCase(validText, 'Application/JSON; charset=utf-8')],
    [
      'header names in any case',
      { body: utf8(validText), headers: { 'CONTENT-TYPE': JSON_TYPE, signatureCEK: validSig } },
    ],
  ];

  it.each(accepted)('%s', async (_name, request) => {
    const before = calls;
    const direct = await endpoint.handle({ method: 'POST', ...request });
    expect(direct.status).toBe(200);
    const overHttp = await send(server.url, request);
    expect(overHttp.status).toBe(200);
    expect(overHttp.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(JSON.parse(overHttp.body)).toMatchObject({ version: '1.0' });
    expect(calls).toBe(before + 2);
  });
});
