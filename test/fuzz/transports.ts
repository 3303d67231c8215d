/**
 * Every adapter, served the way an application serves it, behind one `send(FuzzRequest)`. HTTP
 * adapters get the request as raw bytes on a socket (a real client library would refuse or fix up
 * half of what the fuzzer sends); Fetch, Hono's `app.request` and Lambda get it in their own shape.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import express5 from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import Koa from 'koa';
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import { silentLogger, type Endpoint } from 'cekit';
import { createListener, protectServer, serve } from 'cekit/node';
import { toExpressHandler } from 'cekit/express';
import { cekitFastify } from 'cekit/fastify';
import { toFetchHandler } from 'cekit/fetch';
import { toHonoHandler } from 'cekit/hono';
import { toKoaMiddleware } from 'cekit/koa';
import { toLambdaHandler, type LambdaHttpResult } from 'cekit/lambda';
import type { FuzzRequest } from './cases.js';
import type { Random } from './prng.js';

/** An answer as the client saw it; header names lower-cased. `status` 0: no complete answer. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Transport {
  name: string;
  /** `rng` lets a transport vary how it carries the request (Lambda's event shapes). */
  send(request: FuzzRequest, rng: Random): Promise<Answer>;
  /** Raw bytes on a fresh connection, for malformed HTTP; only servers on a real port have it. */
  sendRaw?(bytes: Buffer): Promise<Answer>;
  /**
   * Recognises the one documented answer that is not cekit's: Fastify's JSON 404 for a method its
   * router does not know at all (WebDAV's PROPFIND, ...), which never reaches a plugin.
   */
  unroutedMethod?(method: string, answer: Answer): boolean;
  close(): Promise<void>;
}

export type TransportFactory = (endpoint: Endpoint) => Promise<Transport>;

/** The transports without a socket (handlers called in process): raw HTTP bytes do not apply. */
export const IN_PROCESS = new Set(['hono app.request()', 'fetch handler', 'lambda']);

const PATH = '/clova';

export const TRANSPORTS: Record<string, TransportFactory> = {
  'node serve()': async (endpoint) => {
    const running = await serve(endpoint, { port: 0, handleSignals: false });
    return overHttp('node serve()', running.port, '/', running.close);
  },
  'node createListener()': (endpoint) => onNodeServer('node createListener()', createListener(endpoint)),
  'express 5': (endpoint) => {
    const app = express5();
    app.all(PATH, toExpressHandler(endpoint, { logger: silentLogger }));
    return onNodeServer('express 5', app);
  },
  'express 4': (endpoint) => {
    const app = express4();
    app.all(PATH, toExpressHandler(endpoint, { logger: silentLogger }));
    return onNodeServer('express 4', app);
  },
  koa: (endpoint) => {
    const app = new Koa();
    app.silent = true;
    app.use(toKoaMiddleware(endpoint, { path: PATH, logger: silentLogger }));
    return onNodeServer('koa', app.callback());
  },
  fastify: async (endpoint) => {
    const app = Fastify();
    protectServer(app.server);
    await app.register(cekitFastify, { extension: endpoint, path: PATH });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const unroutedMethod = (method: string, answer: Answer) =>
      !app.supportedMethods.includes(method) && fastifyNotFound(method, answer);
    return { ...overHttp('fastify', port, PATH, () => app.close()), unroutedMethod };
  },
  'hono on @hono/node-server': (endpoint) => {
    const app = new Hono();
    app.all(PATH, toHonoHandler(endpoint, { logger: silentLogger }));
    return onAdaptorServer('hono on @hono/node-server', app.fetch);
  },
  'fetch on @hono/node-server': (endpoint) =>
    onAdaptorServer('fetch on @hono/node-server', toFetchHandler(endpoint)),
  'hono app.request()': async (endpoint) => {
    const app = new Hono();
    app.all(PATH, toHonoHandler(endpoint, { logger: silentLogger }));
    return inProcess('hono app.request()', async (request) =>
      answerOf(await app.request(`http://127.0.0.1${PATH}`, fetchInit(request))),
    );
  },
  'fetch handler': async (endpoint) => {
    const handler = toFetchHandler(endpoint);
    return inProcess('fetch handler', async (request) =>
      answerOf(await handler(new Request(`http://127.0.0.1${PATH}`, fetchInit(request)))),
    );
  },
  lambda: async (endpoint) => {
    const handler = toLambdaHandler(endpoint, { logger: silentLogger });
    return {
      name: 'lambda',
      send: async (request, rng) =>
        lambdaAnswer((await handler(lambdaEvent(request, rng))) as LambdaHttpResult),
      close: async () => {},
    };
  },
};

async function onNodeServer(name: string, listener: RequestListener): Promise<Transport> {
  return listening(name, createServer(listener));
}

async function onAdaptorServer(
  name: string,
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<Transport> {
  return listening(name, createAdaptorServer({ fetch }) as Server);
}

/** Protects the server as the guides tell applications to (cekit/node), then listens on loopback. */
async function listening(name: string, server: Server): Promise<Transport> {
  protectServer(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return overHttp(name, (server.address() as AddressInfo).port, PATH, () => closeServer(server));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function overHttp(name: string, port: number, path: string, close: () => Promise<unknown>): Transport {
  return {
    name,
    send: (request) => exchange(port, encodeRequest(request, path, port)),
    sendRaw: (bytes) => exchange(port, bytes),
    close: async () => void (await close()),
  };
}

/** Fastify's own 404 for a route it has no handler for, exactly. */
function fastifyNotFound(method: string, answer: Answer): boolean {
  try {
    const body = JSON.parse(answer.body) as { statusCode?: unknown; message?: unknown };
    return (
      answer.status === 404 && body.statusCode === 404 && body.message === `Route ${method}:${PATH} not found`
    );
  } catch {
    return false;
  }
}

function inProcess(name: string, send: (request: FuzzRequest) => Promise<Answer>): Transport {
  return { name, send, close: async () => {} };
}

// ---------------------------------------------------------------------------------------------
// HTTP/1.1 on a raw socket.
// ---------------------------------------------------------------------------------------------

/** The request as bytes: names and values exactly as given (latin1), framed by length or chunks. */
export function encodeRequest(request: FuzzRequest, path: string, port: number): Buffer {
  const lines = [`${request.method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  const body = Buffer.from(request.body);
  lines.push(request.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return Buffer.concat([head, request.chunked ? chunkedBody(body) : body]);
}

function chunkedBody(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  const step = Math.max(1, Math.ceil(body.length / 3));
  for (let at = 0; at < body.length; at += step) {
    const chunk = body.subarray(at, at + step);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/**
 * Writes `bytes` on a fresh connection and reads the first answer. Resolves with status 0 when the
 * server closed or stayed silent without a complete answer: that is a failure for the caller to
 * report, never a hang.
 */
export function exchange(port: number, bytes: Buffer, deadlineMs = 5000): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      const answer = parseAnswer(received, closed);
      if (answer === undefined && !closed) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer ?? { status: 0, headers: {}, body: received.toString('latin1') });
    };
    const timer = setTimeout(() => finish(true), deadlineMs);
    // The server may answer and close before the whole upload is written (oversized bodies).
    socket.on('error', () => finish(true));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(bytes);
  });
}

/** The first final answer in `raw`, or undefined while it is incomplete (and the socket is open). */
function parseAnswer(raw: Buffer, closed: boolean): Answer | undefined {
  let rest = raw;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const body = rest.subarray(end + 4);
    // Interim answers (100 Continue) come before the real one.
    if (status >= 100 && status < 200) {
      rest = body;
      continue;
    }
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const decoded = dechunk(body);
      return decoded === undefined ? undefined : { status, headers, body: decoded.toString('utf8') };
    }
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (body.length < length) return undefined;
      return { status, headers, body: body.subarray(0, length).toString('utf8') };
    }
    return closed ? { status, headers, body: body.toString('utf8') } : undefined;
  }
}

function dechunk(body: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    if (body.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

// ---------------------------------------------------------------------------------------------
// Fetch and Hono.
// ---------------------------------------------------------------------------------------------

/** A Fetch `RequestInit`: repeated headers appended (Fetch joins them), no body on GET and HEAD. */
function fetchInit(request: FuzzRequest): RequestInit {
  const headers = new Headers();
  for (const [name, value] of request.headers) headers.append(name, value);
  const method = request.method;
  // Fetch forbids a body on GET and HEAD (in any letter case); those are refused for the method anyway.
  if (['GET', 'HEAD'].includes(method.toUpperCase())) return { method, headers };
  if (request.chunked) {
    const parts = splitInThree(request.body);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    return { method, headers, body, duplex: 'half' } as RequestInit;
  }
  headers.set('content-length', String(request.body.length));
  return { method, headers, body: request.body.length > 0 ? new Uint8Array(request.body) : undefined };
}

function splitInThree(body: Uint8Array): Uint8Array[] {
  const step = Math.max(1, Math.ceil(body.length / 3));
  const parts: Uint8Array[] = [];
  for (let at = 0; at < body.length; at += step) parts.push(body.slice(at, at + step));
  return parts;
}

async function answerOf(response: Response): Promise<Answer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: await response.text() };
}

// ---------------------------------------------------------------------------------------------
// Lambda: the four event shapes AWS sends, built the way AWS builds them.
// ---------------------------------------------------------------------------------------------

type Shape = 'rest' | 'http-api' | 'alb' | 'alb-multi';

/**
 * An HTTP event for `request` in a random shape. Bodies that are not valid UTF-8 always travel as
 * base64, as API Gateway sends binary bodies; the event goes through JSON like a real one does, so
 * a `__proto__` header is an own key, not a prototype.
 */
export function lambdaEvent(request: FuzzRequest, rng: Random): Record<string, unknown> {
  const shape = rng.pick<Shape>(['rest', 'http-api', 'alb', 'alb-multi']);
  const text = Buffer.from(request.body).toString('utf8');
  const base64 = rng.chance(0.5) || !Buffer.from(text, 'utf8').equals(Buffer.from(request.body));
  const body =
    request.body.length === 0 ? null : Buffer.from(request.body).toString(base64 ? 'base64' : 'utf8');
  const single = headerMap(request, shape === 'rest' ? 'as-sent' : 'lower', 'last');
  const event: Record<string, unknown> =
    shape === 'http-api'
      ? {
          version: '2.0',
          routeKey: 'POST /clova',
          rawPath: PATH,
          headers: headerMap(request, 'lower', 'joined'),
          requestContext: { http: { method: request.method, path: PATH } },
        }
      : {
          httpMethod: request.method,
          path: PATH,
          ...(shape === 'alb-multi' ? {} : { headers: single }),
          ...(shape === 'alb' ? {} : { multiValueHeaders: multiValueMap(request, shape === 'rest') }),
          requestContext: shape.startsWith('alb')
            ? { elb: { targetGroupArn: 'arn:fuzz' } }
            : { stage: 'prod' },
        };
  event.body = body;
  event.isBase64Encoded = base64;
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}

function headerMap(
  request: FuzzRequest,
  names: 'as-sent' | 'lower',
  repeats: 'last' | 'joined',
): Record<string, string> {
  const map: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [sent, value] of request.headers) {
    const name = names === 'lower' ? sent.toLowerCase() : sent;
    map[name] = repeats === 'joined' && map[name] !== undefined ? `${map[name]},${value}` : value;
  }
  return map;
}

function multiValueMap(request: FuzzRequest, keepCase: boolean): Record<string, string[]> {
  const map: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [sent, value] of request.headers) {
    const name = keepCase ? sent : sent.toLowerCase();
    (map[name] ??= []).push(value);
  }
  return map;
}

function lambdaAnswer(result: LambdaHttpResult): Answer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name.toLowerCase()] = values.join(', ');
  return { status: result.statusCode, headers, body: result.body };
}
