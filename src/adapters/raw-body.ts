/**
 * What every framework adapter shares: reading the exact body bytes from a Node stream, picking up
 * raw bytes a platform kept (Firebase's `req.rawBody`, our Express `verify` hook), refusing a body a
 * parser already consumed, and answering early refusals with the core's own JSON bodies.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { checkContentType } from '../core/content-type.js';
import { REJECTIONS, RejectionError, type RejectionCode } from '../core/errors.js';
import { readHeader, singleHeader, type HeaderSource } from '../core/headers.js';
import type { RawResponse } from '../core/endpoint.js';
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
 * Collects a Node request stream into one buffer; `undefined` as soon as it passes `limit` (the
 * rest is drained, never buffered).
 */
export function readStream(stream: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    stream.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    stream.on('error', reject);
  });
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
