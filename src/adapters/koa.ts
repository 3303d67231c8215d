/**
 * Koa adapter: a middleware that answers CEK requests on one path and passes everything else on.
 * Koa is only a type here (declared structurally), so importing `cekit/koa` never loads it.
 *
 * ```ts
 * import Koa from 'koa';
 * import { toKoaMiddleware } from 'cekit/koa';
 * new Koa().use(toKoaMiddleware(app, { path: '/clova' })).listen(3000);
 * ```
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toEndpoint, type EndpointSource, type RawResponse } from '../core/endpoint.js';
import { resolveLogger, type Logger } from '../core/logger.js';
import {
  bodyAlreadyParsed,
  declaredLength,
  DEFAULT_BODY_TIMEOUT_MS,
  keptBytes,
  lingerOnClose,
  oversizedResponse,
  readStream,
  rejectionResponse,
  streamConsumed,
  unfinishedBodyResponse,
  type StreamRead,
} from './raw-body.js';

export type { EndpointSource } from '../core/endpoint.js';

/** The parts of Koa's context the middleware uses; Koa's `Context` fits. */
export interface KoaLikeContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  /** koa-bodyparser and @koa/bodyparser put the parsed body here, and the text they read in `rawBody`. */
  readonly request: { body?: unknown; rawBody?: unknown };
  status: number;
  body: unknown;
  set(field: Record<string, string>): void;
}

/** Options of {@link toKoaMiddleware}. */
export interface KoaAdapterOptions {
  /** Answer only this exact path (e.g. `/clova`) and call `next()` for others. Default: every path. */
  path?: string;
  /** Where the adapter reports a misconfiguration (a body parser mounted first). Default: console. */
  logger?: Logger;
  /**
   * Longest the client may take to send the body once its headers arrived; a slower body gets
   * `408 REQUEST_TIMEOUT` and the connection is closed. Default 10 s. (Headers, and bodies a parser
   * reads before cekit, are bounded by the server: see `protectServer` from `cekit/node`.)
   */
  bodyTimeoutMs?: number;
}

/** A Koa middleware (`app.use(...)`, or a koa-router route handler). */
export type KoaMiddleware = (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<void>;

const FIX =
  'A body parser (for example koa-body) read the request before the cekit middleware and kept no raw ' +
  'text. Either use cekit before the parser (app.use(toKoaMiddleware(...)) first), or use a parser that keeps ' +
  'the raw text in ctx.request.rawBody (koa-bodyparser and @koa/bodyparser do).';

/**
 * Serves a CEK endpoint (or an extension) from Koa. The body is read from `ctx.req` byte for byte;
 * if a body parser already read it, its `ctx.request.rawBody` is used, and without one the request
 * is refused with `400 BODY_ALREADY_PARSED` (the fix is logged once).
 */
export function toKoaMiddleware(source: EndpointSource, options: KoaAdapterOptions = {}): KoaMiddleware {
  const endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  const alreadyParsed = bodyAlreadyParsed(resolveLogger(options.logger), FIX);
  const onlyPath = options.path;
  const bodyTimeout = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;

  return async (ctx, next) => {
    const receivedAt = performance.now();
    if (onlyPath !== undefined && ctx.path !== onlyPath) {
      await next();
      return;
    }
    const { req, method } = ctx;
    let body: Uint8Array | undefined;
    if (streamConsumed(req) || ctx.request.body !== undefined) {
      body = keptBytes(ctx.request.rawBody);
      if (body === undefined) {
        // Only refuse when the bytes are really gone; a parser that skipped this request left them.
        if (streamConsumed(req)) return write(ctx, alreadyParsed());
      }
    }
    if (body === undefined) {
      if (declaredLength(req.headers) > limit) {
        req.resume();
        return write(ctx, oversizedResponse(method, req.headers, limit), true);
      }
      let read: StreamRead;
      try {
        read = await readStream(req, limit, bodyTimeout);
      } catch {
        // The body stream broke (client gone, bad framing): a refusal like any other, never a 500.
        return write(ctx, rejectionResponse('MALFORMED_HTTP'), true);
      }
      if (!Buffer.isBuffer(read))
        return write(ctx, unfinishedBodyResponse(read, method, req.headers, limit), true);
      body = read;
    }
    let response: RawResponse;
    try {
      response = await endpoint.handle({ method, headers: req.headers, body, receivedAt });
    } catch {
      response = rejectionResponse('INVALID_MESSAGE');
    }
    write(ctx, response);
  };
}

function write(ctx: KoaLikeContext, response: RawResponse, close = false): void {
  ctx.status = response.status;
  // The content type goes first: Koa would otherwise label a string body text/plain.
  ctx.set(close ? { ...response.headers, connection: 'close' } : response.headers);
  // A client may still be sending the body we refused: make sure it reads this answer first.
  if (close) lingerOnClose(ctx.res);
  ctx.body = response.body;
}
