/**
 * The one conformance suite every adapter runs: real CEK-signed vectors, forged requests, wrong
 * media types, oversized bodies (declared and chunked), GET, and pre-parsed bodies. Each answer must
 * equal what the transport-neutral core answers for the same request (`endpoint.handle` directly):
 * same status, same JSON body, same content type. Requests the core refuses must never reach the
 * dispatcher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { connect } from 'node:net';
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
  /** The CEK route's URL, for the raw-socket cases (servers on a real port only). */
  url?: string;
}

/** How a harness is asked to serve; each adapter maps these onto its own options. */
export interface HarnessOptions {
  /** The adapter's bound on a body that never finishes (`serve()`'s `requestTimeoutMs`). */
  bodyTimeoutMs?: number;
  /**
   * The dispatcher behind the endpoint, for harnesses that build their endpoint themselves from
   * {@link TEST_ENDPOINT_OPTIONS} (cekit/clova-sdk); the others serve the endpoint they are given.
   */
  dispatcher: Dispatcher;
}

/** A scenario where something read the body before the adapter. */
export interface PreParsedScenario {
  name: string;
  serve(endpoint: Endpoint, options: HarnessOptions): Promise<Served>;
  /** `core`: the adapter still got the exact bytes; `refused`: it answered BODY_ALREADY_PARSED. */
  expect: 'core' | 'refused';
}

export interface AdapterHarness {
  name: string;
  serve(endpoint: Endpoint, options: HarnessOptions): Promise<Served>;
  /** False for transports without a streamed body (Lambda events). */
  streams: boolean;
  /**
   * True when served on a real port (`Served.url`): the cases that need a raw socket run (an upload
   * still in flight when it is refused, a body that never finishes).
   */
  socket: boolean;
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
export const TEST_ENDPOINT_OPTIONS = {
  verify: { keyUrl: false },
  extensionId: EXTENSION_ID,
  bodyLimit: BODY_LIMIT,
  logger: silentLogger,
  requestLog: false,
} as const satisfies Omit<EndpointOptions, 'dispatcher'>;

export function testEndpoint(dispatcher: Dispatcher, extra: Partial<EndpointOptions> = {}): Endpoint {
  return createEndpoint({ dispatcher, ...TEST_ENDPOINT_OPTIONS, ...extra });
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
      server = await harness.serve(testEndpoint(served), { dispatcher: served });
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

    if (harness.socket) {
      it('an oversized upload the client is still sending: its 413 is read before the connection closes', async () => {
        // 8 MB on the way while the server refuses it, and a client slow to read its answer: closing
        // with unread bytes would reset the connection and throw the 413 away.
        for (const framing of ['content-length', 'chunked'] as const) {
          const answer = await slowReader(
            server.url!,
            uploadHead(server.url!, framing, BIG),
            upload(framing, BIG),
          );
          expect(answer.status, framing).toBe(413);
          expect(JSON.parse(answer.body).error.code).toBe('PAYLOAD_TOO_LARGE');
        }
      });

      it('a body that never finishes gets 408 REQUEST_TIMEOUT within the bound, and never reaches the dispatcher', async () => {
        const dispatcher = countingDispatcher();
        const slow = await harness.serve(testEndpoint(dispatcher), { bodyTimeoutMs: 300, dispatcher });
        try {
          const started = performance.now();
          const launch = signedLaunch();
          const head = uploadHead(slow.url!, 'content-length', launch.body!.byteLength, launch.headers);
          // Half the body, then nothing: a slowloris client.
          const half = launch.body!.subarray(0, launch.body!.byteLength / 2);
          const answer = await slowReader(slow.url!, head, half, 0, 5000);
          expect(answer.status).toBe(408);
          expect(JSON.parse(answer.body).error.code).toBe('REQUEST_TIMEOUT');
          expect(performance.now() - started).toBeLessThan(3000);
          expect(dispatcher.calls).toBe(0);
        } finally {
          await slow.close();
        }
      });
    }

    it('a handler answer is passed through untouched', async () => {
      const answer = await server.send(signedLaunch());
      expect(JSON.parse(answer.body).response.outputSpeech.values.value).toBe('got LaunchRequest');
    });

    for (const scenario of harness.preParsed ?? []) {
      it(`pre-parsed body: ${scenario.name}`, async () => {
        const dispatcher = countingDispatcher();
        const behind = await scenario.serve(testEndpoint(dispatcher), { dispatcher });
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

const BIG = 8 * 1024 * 1024;

/** The request head of an upload to `url`, framed by Content-Length or chunked. */
function uploadHead(
  url: string,
  framing: 'content-length' | 'chunked',
  length: number,
  headers: Record<string, string | string[]> = { 'content-type': 'application/json' },
): string {
  const { pathname, host } = new URL(url);
  const lines = [`POST ${pathname} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of Object.entries(headers))
    for (const one of [value].flat()) lines.push(`${name}: ${one}`);
  lines.push(framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A whole upload of `length` bytes in the given framing (chunked: one chunk, then the last). */
function upload(framing: 'content-length' | 'chunked', length: number): Buffer {
  const bytes = Buffer.alloc(length, 0x78);
  if (framing === 'content-length') return bytes;
  return Buffer.concat([Buffer.from(`${length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
}

/**
 * Sends `head` and `body` over a raw socket, starts reading only after
 * `readDelayMs`, and returns the first answer once it is complete (by its Content-Length), or
 * whatever arrived when the server closed or `deadlineMs` passed.
 */
export function slowReader(
  url: string,
  head: string,
  body: Uint8Array,
  readDelayMs = 200,
  deadlineMs = 3000,
): Promise<WireAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.pause();
    socket.on('error', () => {});
    socket.write(head);
    socket.write(body);
    let received = Buffer.alloc(0);
    const finish = () => {
      clearTimeout(deadline);
      socket.destroy();
      resolve(parseAnswer(received));
    };
    const deadline = setTimeout(finish, deadlineMs);
    setTimeout(() => {
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (answerComplete(received)) finish();
      });
      socket.on('close', finish);
      socket.resume();
    }, readDelayMs);
  });
}

function splitAnswer(raw: Buffer): { head: string; body: Buffer } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? undefined : { head: raw.subarray(0, end).toString('latin1'), body: raw.subarray(end + 4) };
}

function answerComplete(raw: Buffer): boolean {
  const parts = splitAnswer(raw);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(parts?.head ?? '')?.[1];
  return parts !== undefined && length !== undefined && parts.body.byteLength >= Number(length);
}

function parseAnswer(raw: Buffer): WireAnswer {
  const parts = splitAnswer(raw);
  if (parts === undefined) return { status: 0, headers: {}, body: raw.toString('utf8') };
  const [statusLine, ...lines] = parts.head.split('\r\n');
  const headers: Record<string, string | undefined> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? parts.body.byteLength);
  return {
    status: Number(statusLine!.split(' ')[1]),
    headers,
    body: parts.body.subarray(0, length).toString('utf8'),
  };
}
