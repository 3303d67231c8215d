/**
 * Express adapter (Express 4 and 5, and anything with the same `(req, res)` shape: Firebase and
 * Google Cloud Functions HTTP functions, Connect). Reads the raw body itself; Express is only ever a
 * type here, so importing `cekit/express` never loads it.
 *
 * ```ts
 * import express from 'express';
 * import { toExpressHandler } from 'cekit/express';
 * const server = express();
 * server.post('/clova', toExpressHandler(app)); // before any app.use(express.json())
 * ```
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toEndpoint, type EndpointSource } from '../core/endpoint.js';
import { resolveLogger, type Logger } from '../core/logger.js';
import {
  answerNodeRequest,
  bodyAlreadyParsed,
  declaredLength,
  DEFAULT_BODY_TIMEOUT_MS,
  headRejection,
  keptBytes,
  oversizedResponse,
  readStream,
  rejectionResponse,
  streamConsumed,
  unfinishedBodyResponse,
  writeResponse,
} from './raw-body.js';

export type { EndpointSource } from '../core/endpoint.js';

/**
 * The request as the adapter reads it: Node's `IncomingMessage`, plus what body parsers and hosted
 * runtimes attach. Express's `Request` fits, without cekit depending on Express's types.
 */
export type ExpressLikeRequest = IncomingMessage & ExpressRequestExtras;

/**
 * What {@link ExpressLikeRequest} adds to `IncomingMessage`. An intersection, not `extends`: other
 * packages augment `IncomingMessage` with their own `body`/`rawBody` types (@koa/bodyparser declares
 * `rawBody: string`), which an extending interface would contradict.
 */
export interface ExpressRequestExtras {
  /** The Express application (used only to name misplaced body parsers in the log). */
  app?: unknown;
  /** Set by body parsers (`express.json()`, ...). */
  body?: unknown;
  /** Raw bytes kept by Firebase / Google Cloud Functions, or by {@link keepRawBody}. */
  rawBody?: unknown;
}

/** Options of {@link toExpressHandler}. */
export interface ExpressAdapterOptions {
  /** Where the adapter reports a misconfiguration (a body parser mounted first). Default: console. */
  logger?: Logger;
  /**
   * Longest the client may take to send the body once its headers arrived; a slower body gets
   * `408 REQUEST_TIMEOUT` and the connection is closed. Default 10 s. (Headers, and bodies a parser
   * reads before cekit, are bounded by the server: see `protectServer` from `cekit/node`.)
   */
  bodyTimeoutMs?: number;
}

/** An Express route handler (`app.post(path, handler)`); it always answers and never calls `next`. */
export type ExpressHandler = (req: ExpressLikeRequest, res: ServerResponse, next?: unknown) => void;

const FIX =
  'A body parser (for example app.use(express.json())) ran before the cekit handler. Either register ' +
  "the cekit route before the parser (app.post('/clova', toExpressHandler(app)) above app.use(express.json())), " +
  "or let the parser keep the raw bytes: app.use(express.json({ verify: keepRawBody })) with keepRawBody from 'cekit/express'.";

/**
 * Serves a CEK endpoint (or an extension) as an Express route handler. The body is read from the
 * request stream byte for byte. When a parser already consumed the stream, the bytes kept in
 * `req.rawBody` are used (Firebase / Google Cloud Functions, {@link keepRawBody}); without them
 * the request is refused with `400 BODY_ALREADY_PARSED` and the fix is logged once.
 */
export function toExpressHandler(
  source: EndpointSource,
  options: ExpressAdapterOptions = {},
): ExpressHandler {
  const endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  const bodyTimeout = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const alreadyParsed = bodyAlreadyParsed(resolveLogger(options.logger), FIX);

  const handler: ExpressHandler = (req, res) => {
    const receivedAt = performance.now();
    const method = req.method ?? 'GET';
    if (streamConsumed(req)) {
      const kept = keptBytes(req.rawBody);
      if (kept === undefined) {
        writeResponse(
          res,
          alreadyParsed(() => ({ parsersBeforeCekit: parsersMountedBefore(req.app, handler) })),
        );
        return;
      }
      answerNodeRequest(endpoint, req, res, kept, receivedAt);
      return;
    }
    // Refuse a declared oversize body before reading a byte of it.
    if (declaredLength(req.headers) > limit) {
      writeResponse(res, oversizedResponse(method, req.headers, limit), 'linger');
      req.resume();
      return;
    }
    readStream(req, limit, bodyTimeout).then(
      (body) => {
        if (Buffer.isBuffer(body)) answerNodeRequest(endpoint, req, res, body, receivedAt);
        else writeResponse(res, unfinishedBodyResponse(body, method, req.headers, limit), 'linger');
      },
      // The body stream broke (client gone, bad framing): a refusal like any other, never a 500.
      () => writeResponse(res, rejectionResponse('MALFORMED_HTTP'), 'linger'),
    );
  };
  return handler;
}

/** An Express error-handling middleware: four parameters, which is how Express recognises one. */
export type ExpressErrorHandler = (
  error: unknown,
  req: ExpressLikeRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Answers the refusals of a body parser that runs before the cekit route (`app.use(express.json())`)
 * the way cekit answers everything: a JSON 4xx with a stable code, no HTML page, no stack trace, and
 * nothing logged by Express's default handler (whose log line would carry the body, access tokens
 * included). Mount it on the CEK path, after the route:
 *
 * ```ts
 * server.use(express.json({ verify: keepRawBody }));
 * server.post('/clova', toExpressHandler(app));
 * server.use('/clova', toExpressErrorHandler(app));
 * ```
 *
 * A body the parser could not parse, but whose bytes `keepRawBody` kept, is judged by the core like
 * any other (`401 SIGNATURE_MISSING` for an unsigned one, ...). A body over the parser's own limit gets
 * `413 PAYLOAD_TOO_LARGE` (and, once, a warning when that limit is below the endpoint's `bodyLimit`),
 * an unsupported charset or encoding `415`, anything else the parser refused `400 MALFORMED_HTTP`.
 * Errors that are not a body parser's go on to the next error handler unchanged.
 */
export function toExpressErrorHandler(
  source: EndpointSource,
  options: Pick<ExpressAdapterOptions, 'logger'> = {},
): ExpressErrorHandler {
  const endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  const logger = resolveLogger(options.logger);
  let warnedAboutLimit = false;

  return function cekitParserErrors(error, req, res, next) {
    const refused = parserRefusal(error);
    if (refused === undefined || res.headersSent) return next(error);
    const method = req.method ?? 'GET';
    const kept = keptBytes(req.rawBody);
    if (refused.type === 'entity.parse.failed' && kept !== undefined) {
      return answerNodeRequest(endpoint, req, res, kept, performance.now());
    }
    if (refused.status === 413) {
      if (!warnedAboutLimit && typeof refused.limit === 'number' && refused.limit < limit) {
        warnedAboutLimit = true;
        logger.warn(
          `cekit: a body parser refused a ${refused.length ?? 'large'}-byte body at its own limit of ` +
            `${refused.limit} bytes, below the endpoint's bodyLimit of ${limit}. ` +
            `Give the parser the same limit: express.json({ verify: keepRawBody, limit: ${limit} }).`,
          { code: 'PAYLOAD_TOO_LARGE' },
        );
      }
      // The parser refused before reading the body: the client may still be sending it.
      return writeResponse(
        res,
        headRejection(method, req.headers) ?? rejectionResponse('PAYLOAD_TOO_LARGE'),
        'linger',
      );
    }
    const code = refused.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'MALFORMED_HTTP';
    writeResponse(
      res,
      headRejection(method, req.headers) ?? rejectionResponse(code),
      req.complete ? 'keep' : 'linger',
    );
  };
}

/** What a body parser's error tells (body-parser and raw-body mark theirs with a string `type`). */
interface ParserRefusal {
  type: string;
  status: number;
  limit?: unknown;
  length?: unknown;
}

function parserRefusal(error: unknown): ParserRefusal | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, statusCode, limit, length } = error as Record<string, unknown>;
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof type !== 'string' || typeof code !== 'number' || code < 400 || code > 499) return undefined;
  return { type, status: code, limit, length };
}

/** Express's body parsers (body-parser 1 and 2), by the name of the middleware function they return. */
const PARSERS: Record<string, string> = {
  jsonParser: 'express.json()',
  textParser: 'express.text()',
  rawParser: 'express.raw()',
  urlencodedParser: 'express.urlencoded()',
};

/**
 * Names the body parsers mounted on the application before the route that holds `handler`, so the
 * log says which line to move. Reads the router stack (`app._router` in Express 4, `app.router` in
 * Express 5) defensively: any unexpected shape just yields an empty list.
 */
function parsersMountedBefore(app: unknown, handler: ExpressHandler): string[] {
  const express = app as { _router?: RouterLike; router?: RouterLike } | undefined;
  const stack = (express?._router ?? express?.router)?.stack;
  if (!Array.isArray(stack)) return [];
  const found: string[] = [];
  for (const layer of stack) {
    if (layer.route?.stack?.some((inner) => inner.handle === handler)) return found;
    const parser = PARSERS[layer.name ?? layer.handle?.name ?? ''];
    if (parser !== undefined) found.push(parser);
  }
  return [];
}

interface RouterLike {
  stack?: Array<{ name?: string; handle?: { name?: string }; route?: RouterLike }>;
}

/**
 * The `verify` hook of Express's body parsers, for apps that must parse JSON globally: it keeps the
 * exact bytes in `req.rawBody` (the property Firebase uses too), where the cekit handler finds them.
 *
 * ```ts
 * app.use(express.json({ verify: keepRawBody }));
 * ```
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  // Through `unknown`: a package may have typed `rawBody` on IncomingMessage as a string.
  (req as { rawBody?: unknown }).rawBody = buffer;
}
