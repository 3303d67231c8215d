/**
 * What every framework adapter shares: reading the exact body bytes from a Node stream, picking up
 * raw bytes a platform kept (Firebase's `req.rawBody`, our Express `verify` hook), refusing a body a
 * parser already consumed, and answering early refusals with the core's own JSON bodies.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { checkContentType } from '../core/content-type.js';
import { REJECTIONS, RejectionError, type RejectionCode } from '../core/errors.js';
import { readHeader, singleHeader, type HeaderSource } from '../core/headers.js';
import type { Endpoint, RawResponse } from '../core/endpoint.js';
import type { Logger } from '../core/logger.js';

const UTF8 = new TextEncoder();
const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json;charset=UTF-8' });

/** A refusal exactly as the core writes it: same status, headers and JSON body. */
export function rejectionResponse(code: RejectionCode, detail?: string): RawResponse {
  return {
    status: REJECTIONS[code].status,
    headers: code === 'METHOD_NOT_ALLOWED' ? { ...JSON_HEADERS, allow: 'POST' } : JSON_HEADERS,
    body: JSON.stringify(new RejectionError(code, detail).toJSON()),
  };
}

/**
 * The core's first two checks, method then media type (src/core/endpoint.ts), for adapters that must
 * answer before the body reaches the core, so their answers do not depend on when they stopped.
 */
export function headRejection(method: string, headers: HeaderSource): RawResponse | undefined {
  if (method !== 'POST') return rejectionResponse('METHOD_NOT_ALLOWED');
  const contentType = singleHeader(readHeader(headers, 'content-type'));
  try {
    checkContentType(contentType.duplicated ? 'duplicated' : contentType.value);
  } catch (error) {
    if (error instanceof RejectionError) return rejectionResponse(error.code, error.detail);
    throw error;
  }
  return undefined;
}

/**
 * The answer for a body too large to read: what the core would say, given it checks method and
 * media type before size (an oversized GET still gets 405, an oversized form post 415).
 */
export function oversizedResponse(method: string, headers: HeaderSource, limit: number): RawResponse {
  return (
    headRejection(method, headers) ?? rejectionResponse('PAYLOAD_TOO_LARGE', `The limit is ${limit} bytes.`)
  );
}

/** `Content-Length` as a number, or NaN when absent (chunked) or unreadable. */
export function declaredLength(headers: HeaderSource): number {
  const value = readHeader(headers, 'content-length');
  return typeof value === 'string' ? Number(value) : Number.NaN;
}

/**
 * How long an adapter waits for a request body once the headers arrived, unless told otherwise.
 * CEK sends a few KiB at once and gives up after 8 s, so a body still missing after 10 s comes from
 * a stuck or hostile client, and holding its connection longer only helps a slowloris attack.
 */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** What reading a body can end with, besides an error of the stream itself. */
export type StreamRead = Buffer | 'too-large' | 'timed-out';

/**
 * Collects a Node request stream into one buffer and calls `done` once. Ends early with
 * `'too-large'` as soon as it passes `limit` (the rest is drained, never buffered) and with
 * `'timed-out'` when the whole body has not arrived within `timeoutMs` (if given); with an Error when
 * the stream breaks (client gone, bad framing). Callback-shaped so the hot paths (the node:http
 * listener, Fastify's body parser API) need no promise per request.
 */
export function collectBody(
  stream: Readable,
  limit: number,
  timeoutMs: number | undefined,
  done: (result: StreamRead | Error) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (result: StreamRead | Error) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    chunks.length = 0;
    done(result);
  };
  // No timer when the server already bounds the whole request (serve()).
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle('timed-out'), timeoutMs);
  stream.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) settle('too-large');
    else chunks.push(chunk);
  });
  stream.on('end', () => {
    if (!settled) settle(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
  stream.on('error', settle);
}

/** {@link collectBody} as a promise that rejects when the stream breaks. */
export function readStream(stream: Readable, limit: number, timeoutMs: number): Promise<StreamRead> {
  return new Promise((resolve, reject) => {
    collectBody(stream, limit, timeoutMs, (result) => {
      if (result instanceof Error) reject(result);
      else resolve(result);
    });
  });
}

/** The answer for a body that ended early: too large (in the core's order of checks), or too slow. */
export function unfinishedBodyResponse(
  reason: 'too-large' | 'timed-out',
  method: string,
  headers: HeaderSource,
  limit: number,
): RawResponse {
  return reason === 'too-large'
    ? oversizedResponse(method, headers, limit)
    : rejectionResponse('REQUEST_TIMEOUT');
}

/**
 * Closes the connection of an answer sent while the client may still be uploading (an oversized or
 * too slow body) without losing that answer. Node ends such a connection by closing the socket as
 * soon as the answer is written; if request bytes are still unread at that moment, the kernel sends
 * a reset instead of a clean close, and a reset can make the client discard the answer it already
 * received. So the connection lingers instead: our side is half-closed (the client sees the end of
 * the answer), Node's parser goes on reading and dropping the rest of the body, and the socket is
 * destroyed once the client closes too, or after `lingerMs` at the latest. Node closes the socket of
 * a `Connection: close` answer through `socket.destroySoon()`, so that is the one step replaced, for
 * this socket only.
 */
export function lingerOnClose(res: ServerResponse, lingerMs = 2000): void {
  const socket = res.socket;
  if (socket === null || socket.destroyed) return;
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.writable) this.end();
    const stop = () => this.destroy();
    setTimeout(stop, lingerMs).unref();
    this.once('end', stop);
  };
}

/**
 * The core's answer for `body`, written on `res` when ready. The endpoint never rejects; a 4xx if it
 * did. `req` rides along as the request's `native` object, for dispatchers that need it.
 */
export function answerNodeRequest(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  body: Uint8Array,
  receivedAt: number,
): void {
  const response = endpoint.handle({
    method: req.method ?? 'GET',
    headers: req.headers,
    body,
    receivedAt,
    native: req,
  });
  if (!('then' in response)) return writeResponse(res, response);
  response.then(
    (ready) => writeResponse(res, ready),
    () => writeResponse(res, rejectionResponse('INVALID_MESSAGE')),
  );
}

/**
 * What happens to the connection after an answer. `keep`: it stays open for the next request.
 * `close`: a keep-alive client is told to let go (graceful shutdown). `linger`: closed after a body
 * that was not read whole, without losing the answer to a connection reset (see lingerOnClose).
 */
export type AfterAnswer = 'keep' | 'close' | 'linger';

/** Writes a core answer on a Node response, unless something already answered. */
export function writeResponse(res: ServerResponse, response: RawResponse, after: AfterAnswer = 'keep'): void {
  if (res.headersSent) return;
  const headers: Record<string, string | number> = {
    ...response.headers,
    'content-length': Buffer.byteLength(response.body),
  };
  if (after !== 'keep') headers.connection = 'close';
  if (after === 'linger') lingerOnClose(res);
  res.writeHead(response.status, headers);
  res.end(response.body);
}

/**
 * True when something already read the request stream, so the bytes cekit needs are gone.
 * `readableDidRead` covers parsers that read without finishing; `_body` is body-parser's own mark.
 */
export function streamConsumed(req: IncomingMessage & { _body?: unknown }): boolean {
  return req.readableDidRead || req.readableEnded || req._body === true;
}

/**
 * Raw bytes a platform or hook kept beside a parsed body: a Buffer (Firebase, Google Cloud
 * Functions, `keepRawBody`) or the decoded text (koa-bodyparser). Text is encoded back to UTF-8; a
 * body that was not valid UTF-8 then differs from what was signed and fails verification, closed.
 */
export function keptBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return UTF8.encode(value);
  return undefined;
}

/**
 * The refusal for a body a parser consumed without keeping its bytes. Verifying a re-serialised
 * body is never an option (key order, spacing and escapes differ from what CEK signed), so the
 * request is refused with `BODY_ALREADY_PARSED` and the developer is told, once, what to change.
 */
export function bodyAlreadyParsed(
  logger: Logger,
  fix: string,
): (describe?: () => Record<string, unknown>) => RawResponse {
  let logged = false;
  return (describe) => {
    if (!logged) {
      logged = true;
      logger.error(`cekit: ${REJECTIONS.BODY_ALREADY_PARSED.message} ${fix}`, {
        code: 'BODY_ALREADY_PARSED',
        ...describe?.(),
      });
    }
    return rejectionResponse(
      'BODY_ALREADY_PARSED',
      'Mount cekit before any body parser, or keep the raw bytes (see the server log).',
    );
  };
}
