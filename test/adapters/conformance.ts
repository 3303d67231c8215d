/**
 * The one conformance suite every adapter runs: real CEK-signed vectors, forged requests, wrong
 * media types, oversized bodies (declared and chunked), GET, and pre-parsed bodies. Each answer must
 * equal what the transport-neutral core answers for the same request (`endpoint.handle` directly):
 * same status, same JSON body, same content type. Requests the core refuses must never reach the
 * dispatcher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import {
  createEndpoint,
  silentLogger,
  type Dispatcher,
  type Endpoint,
  type EndpointOptions,
  type RawResponse,
} from 'cekit';
import { signedVector } from '../helpers/fixtures.js';

export const EXTENSION_ID = 'com.chens.morning';
/** Small enough to make oversized bodies cheap, large enough for every signed vector. */
export const BODY_LIMIT = 16 * 1024;

/** A request as a test describes it; arrays become repeated header lines. */
export interface WireRequest {
  method: string;
  headers: Record<string, string | string[]>;
  body?: Uint8Array;
  /** Send the body in several chunks without Content-Length (HTTP adapters only). */
  chunked?: boolean;
  /** Declare the full length, send only this many bytes, then drop the connection (HTTP only). */
  abortAfter?: number;
}

/** An answer as the client saw it; header names lower-cased. */
export interface WireAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface Served {
  send(request: WireRequest): Promise<WireAnswer>;
  close(): Promise<void>;
}

/** A scenario where something read the body before the adapter. */
export interface PreParsedScenario {
  name: string;
  serve(endpoint: Endpoint): Promise<Served>;
  /** `core`: the adapter still got the exact bytes; `refused`: it answered BODY_ALREADY_PARSED. */
  expect: 'core' | 'refused';
}

export interface AdapterHarness {
  name: string;
  serve(endpoint: Endpoint): Promise<Served>;
  /** False for transports without a streamed body (Lambda events). */
  streams: boolean;
  preParsed?: PreParsedScenario[];
}

/** A dispatcher that answers every Custom request and counts how often it ran. */
export function countingDispatcher(): Dispatcher & { calls: number } {
  const dispatcher = {
    calls: 0,
    kinds: ['custom'] as const,
    dispatch(message: Record<string, unknown>) {
      dispatcher.calls++;
      const type = (message.request as { type?: string }).type;
      return {
        version: '1.0',
        sessionAttributes: {},
        response: {
          outputSpeech: {
            type: 'SimpleSpeech',
            values: { type: 'PlainText', lang: 'ja', value: `got ${type}` },
          },
          card: {},
          directives: [],
          shouldEndSession: true,
        },
      };
    },
  };
  return dispatcher;
}

/** The configuration the issue asks for: bundled JP key, no key download, the vectors' Extension ID. */
export function testEndpoint(dispatcher: Dispatcher, extra: Partial<EndpointOptions> = {}): Endpoint {
  return createEndpoint({
    dispatcher,
    verify: { keyUrl: false },
    extensionId: EXTENSION_ID,
    bodyLimit: BODY_LIMIT,
    logger: silentLogger,
    requestLog: false,
    ...extra,
  });
}

const launch = signedVector('signed-launch-request');
const guide = signedVector('signed-guide-intent-request');
const tamperedBody = signedVector('tampered-body');
const tamperedSignature = signedVector('tampered-signature');

const utf8 = (text: string) => Buffer.from(text, 'utf8');

export function signedLaunch(contentType = 'application/json;charset=UTF-8'): WireRequest {
  return {
    method: 'POST',
    headers: { 'content-type': contentType, signaturecek: launch.signatureCEK },
    body: utf8(launch.rawBody),
  };
}

const oversized = Buffer.from(`{"padding":"${'x'.repeat(BODY_LIMIT)}"}`);

/** Name, request, and whether the core lets it reach the dispatcher. */
const CASES: Array<{ name: string; request: WireRequest; reaches: boolean; httpOnly?: boolean }> = [
  { name: 'the real signed LaunchRequest', request: signedLaunch(), reaches: true },
  {
    name: "CEK's own header spelling application/json;charset-UTF-8",
    request: signedLaunch('application/json;charset-UTF-8'),
    reaches: true,
  },
  {
    name: 'the signed LaunchRequest with a mixed-case SignatureCEK header name',
    request: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', SignatureCEK: launch.signatureCEK },
      body: utf8(launch.rawBody),
    },
    reaches: true,
  },
  {
    name: 'the signed LaunchRequest sent in chunks (no Content-Length)',
    request: { ...signedLaunch(), chunked: true },
    reaches: true,
    httpOnly: true,
  },
  {
    name: 'a real signed message without applicationId (refused by the id check)',
    request: {
      method: 'POST',
      headers: { 'content-type': 'application/json', signaturecek: guide.signatureCEK },
      body: utf8(guide.rawBody),
    },
    reaches: false,
  },
  {
    name: 'a forged body under a real signature',
    request: {
      method: 'POST',
      headers: { 'content-type': 'application/json', signaturecek: tamperedBody.signatureCEK },
      body: utf8(tamperedBody.rawBody),
    },
    reaches: false,
  },
  {
    name: 'a forged signature',
    request: {
      method: 'POST',
      headers: { 'content-type': 'application/json', signaturecek: tamperedSignature.signatureCEK },
      body: utf8(tamperedSignature.rawBody),
    },
    reaches: false,
  },
  {
    name: 'no signature',
    request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: utf8(launch.rawBody) },
    reaches: false,
  },
  {
    name: 'a malformed signature over invalid JSON',
    request: {
      method: 'POST',
      headers: { 'content-type': 'application/json', signaturecek: '%%%' },
      body: utf8('{'),
    },
    reaches: false,
  },
  { name: 'a text/plain body', request: signedLaunch('text/plain'), reaches: false },
  { name: 'a form body', request: signedLaunch('application/x-www-form-urlencoded'), reaches: false },
  {
    name: 'no Content-Type',
    request: { method: 'POST', headers: { signaturecek: launch.signatureCEK }, body: utf8(launch.rawBody) },
    reaches: false,
  },
  {
    name: 'an empty body',
    request: { method: 'POST', headers: { 'content-type': 'application/json' } },
    reaches: false,
  },
  {
    name: 'an oversized body with Content-Length',
    request: { method: 'POST', headers: { 'content-type': 'application/json' }, body: oversized },
    reaches: false,
  },
  {
    name: 'an oversized chunked body',
    request: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: oversized,
      chunked: true,
    },
    reaches: false,
    httpOnly: true,
  },
  {
    name: 'an oversized form body (media type is checked first)',
    request: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: oversized },
    reaches: false,
  },
  {
    name: 'an oversized PUT (method is checked first)',
    request: { method: 'PUT', headers: { 'content-type': 'application/json' }, body: oversized },
    reaches: false,
  },
  {
    name: 'an oversized chunked PUT (method is checked first)',
    request: {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: oversized,
      chunked: true,
    },
    reaches: false,
    httpOnly: true,
  },
  { name: 'GET', request: { method: 'GET', headers: {} }, reaches: false },
  {
    name: 'PUT with the signed body',
    request: { ...signedLaunch(), method: 'PUT' },
    reaches: false,
  },
];

/** What the core answers for the same request, given to it directly. */
async function coreAnswer(endpoint: Endpoint, input: WireRequest): Promise<RawResponse> {
  return endpoint.handle({
    method: input.method,
    headers: input.headers,
    body: input.body ?? new Uint8Array(0),
  });
}

export function expectSameAsCore(answer: WireAnswer, core: RawResponse): void {
  expect(answer.status).toBe(core.status);
  expect(JSON.parse(answer.body)).toEqual(JSON.parse(core.body));
  expect(answer.headers['content-type']?.split(';')[0]).toBe('application/json');
  if (core.headers.allow !== undefined) expect(answer.headers.allow).toBe(core.headers.allow);
}

export function expectBodyAlreadyParsed(answer: WireAnswer): void {
  expect(answer.status).toBe(400);
  expect(answer.headers['content-type']?.split(';')[0]).toBe('application/json');
  expect(JSON.parse(answer.body).error.code).toBe('BODY_ALREADY_PARSED');
}

/** Runs the shared suite against one adapter. */
export function runConformance(harness: AdapterHarness): void {
  describe(`${harness.name}: conformance with the core`, () => {
    const served = countingDispatcher();
    const reference = testEndpoint(countingDispatcher());
    let server: Served;
    beforeAll(async () => {
      server = await harness.serve(testEndpoint(served));
    });
    afterAll(async () => {
      await server?.close();
    });

    for (const { name, request: input, reaches, httpOnly } of CASES) {
      if (httpOnly && !harness.streams) continue;
      it(`answers ${name} like the core`, async () => {
        const before = served.calls;
        const answer = await server.send(input);
        expectSameAsCore(answer, await coreAnswer(reference, input));
        expect(served.calls - before, reaches ? 'reaches the dispatcher' : 'never reaches it').toBe(
          reaches ? 1 : 0,
        );
      });
    }

    if (harness.streams) {
      it('a client that disconnects mid-body never reaches the dispatcher, and the server keeps serving', async () => {
        const before = served.calls;
        await server.send({ ...signedLaunch(), abortAfter: 100 });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(served.calls).toBe(before);
        expect((await server.send(signedLaunch())).status).toBe(200);
      });
    }

    it('a handler answer is passed through untouched', async () => {
      const answer = await server.send(signedLaunch());
      expect(JSON.parse(answer.body).response.outputSpeech.values.value).toBe('got LaunchRequest');
    });

    for (const scenario of harness.preParsed ?? []) {
      it(`pre-parsed body: ${scenario.name}`, async () => {
        const dispatcher = countingDispatcher();
        const behind = await scenario.serve(testEndpoint(dispatcher));
        try {
          const answer = await behind.send(signedLaunch());
          if (scenario.expect === 'core') {
            expectSameAsCore(answer, await coreAnswer(reference, signedLaunch()));
            expect(dispatcher.calls).toBe(1);
          } else {
            expectBodyAlreadyParsed(answer);
            expect(dispatcher.calls).toBe(0);
          }
        } finally {
          await behind.close();
        }
      });
    }
  });
}

/**
 * A deliberately low-level HTTP client: `fetch` would add or normalise headers (a text/plain type
 * for string bodies, joined duplicates) and cannot send a chunked upload of known bytes.
 */
export function sendHttp(url: string, input: WireRequest): Promise<WireAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: input.method, agent: false });
    for (const [name, value] of Object.entries(input.headers)) req.setHeader(name, value);
    const body = input.body ?? new Uint8Array(0);
    if (!input.chunked && (body.byteLength > 0 || input.method === 'POST'))
      req.setHeader('content-length', body.byteLength);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(res.headers)) headers[name] = [value].flat().join(', ');
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    // The server may answer and close before the whole upload is sent (oversized bodies).
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (input.abortAfter !== undefined) {
      // Resolves with a synthetic answer: there is no response to a request the client abandoned.
      req.on('error', () => {});
      req.write(body.subarray(0, input.abortAfter), () => {
        setTimeout(() => {
          req.destroy();
          resolve({ status: 0, headers: {}, body: '' });
        }, 20);
      });
    } else if (input.chunked) {
      const step = Math.max(1, Math.ceil(body.byteLength / 4));
      for (let offset = 0; offset < body.byteLength; offset += step)
        req.write(body.subarray(offset, offset + step));
      req.end();
    } else {
      req.end(body);
    }
  });
}
