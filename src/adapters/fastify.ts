/**
 * Fastify adapter: an encapsulated plugin that serves a CEK endpoint on one route.
 *
 * ```ts
 * import Fastify from 'fastify';
 * import { cekitFastify } from 'cekit/fastify';
 * const server = Fastify();
 * await server.register(cekitFastify, { extension: app, path: '/clova' });
 * ```
 * Fastify is imported as types only, so importing `cekit/fastify` never loads it.
 * @module
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { toEndpoint, type EndpointSource, type RawResponse } from '../core/endpoint.js';
import {
  collectBody,
  declaredLength,
  DEFAULT_BODY_TIMEOUT_MS,
  headRejection,
  lingerOnClose,
  oversizedResponse,
  rejectionResponse,
  unfinishedBodyResponse,
} from './raw-body.js';

export type { EndpointSource } from '../core/endpoint.js';

/** Options of {@link cekitFastify}. */
export interface CekitFastifyOptions {
  /** What answers: an extension from `createExtension()`, or an endpoint from `createEndpoint()`. */
  extension: EndpointSource;
  /** The route, relative to the plugin's prefix. Default `/`. */
  path?: string;
  /**
   * Longest the client may take to send the body once its headers arrived; a slower body gets
   * `408 REQUEST_TIMEOUT` and the connection is closed. Default 10 s. (Headers are bounded by the
   * server: Fastify's own `requestTimeout` option.)
   */
  bodyTimeoutMs?: number;
}

/** A body the plugin's parser refused (too large, too slow), carrying the core's answer for it. */
class BodyRefusal extends Error {
  constructor(readonly response: RawResponse) {
    super(response.body);
  }
}

// HEAD is left to Fastify, which answers it from the GET route (exposeHeadRoutes).
const notHead = (method: string) => method !== 'HEAD';

const EMPTY = Buffer.alloc(0);

/**
 * The plugin. It is deliberately NOT wrapped with fastify-plugin: inside its own encapsulated scope
 * it replaces every content-type parser with one that keeps the body as the exact bytes received, so
 * a JSON parser the application registered elsewhere can never touch CEK requests, and body errors
 * (size, time, framing) are answered with the core's JSON bodies and codes.
 */
export const cekitFastify: FastifyPluginAsync<CekitFastifyOptions> = async (fastify, options) => {
  const endpoint = toEndpoint(options.extension);
  const limit = endpoint.bodyLimit;
  const bodyTimeout = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;

  fastify.removeAllContentTypeParsers();
  // '*' matches any media type; the core then refuses all but application/json with its own 415.
  // The parser reads the stream itself (not parseAs: 'buffer') so a body that never finishes is
  // bounded by bodyTimeoutMs, not by the server's request timeout (off by default in Fastify).
  fastify.addContentTypeParser('*', (request, payload, done) => {
    const method = request.raw.method ?? 'GET';
    const { headers } = request.raw;
    const declared = declaredLength(headers);
    const refuse = (response: RawResponse) => done(new BodyRefusal(response), undefined);
    if (declared > limit) return refuse(oversizedResponse(method, headers, limit));
    collectBody(payload, limit, bodyTimeout, (result) => {
      if (result instanceof Error) return refuse(rejectionResponse('MALFORMED_HTTP'));
      if (!Buffer.isBuffer(result)) return refuse(unfinishedBodyResponse(result, method, headers, limit));
      // A body that does not match its Content-Length (possible through a preParsing hook or
      // fastify.inject, never from Node's parser) is malformed, as Fastify's own reader says too.
      if (!Number.isNaN(declared) && result.length !== declared)
        return refuse(rejectionResponse('MALFORMED_HTTP'));
      done(null, result);
    });
  });

  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    // The client may still be sending the body that was refused: close, after it read the answer.
    if (error instanceof BodyRefusal) return send(reply, error.response, true);
    // Only Fastify's body-reading errors are ours to translate. Anything else (an application hook
    // that refused the request, say) goes on to the application's own error handler, unchanged.
    if (typeof error.code !== 'string' || !error.code.startsWith('FST_ERR_CTP_')) throw error;
    // Fastify refused the request before the plugin's parser ran (sizes and timeouts are the
    // parser's own BodyRefusals): the core's answer for what it can judge, otherwise
    // MALFORMED_HTTP. Never a 5xx.
    const { method, headers } = request.raw;
    request.log.warn({ err: error }, 'cekit: Fastify refused a request before the CEK route');
    return send(reply, headRejection(method ?? 'GET', headers) ?? rejectionResponse('MALFORMED_HTTP'));
  });

  fastify.route({
    // Every method Fastify knows (OPTIONS and TRACE included) reaches the core, which answers all but
    // POST with its own 405 JSON; otherwise Fastify's 404 page would answer them.
    method: fastify.supportedMethods.filter(notHead),
    url: options.path ?? '/',
    // Not async: a synchronous answer (the common case) is sent without a promise per request.
    handler: (request: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : EMPTY;
      const answer = endpoint.handle({
        method: request.raw.method ?? 'GET',
        headers: request.headers,
        body,
        // Fastify times each request from its arrival; the budget starts there too.
        receivedAt: performance.now() - reply.elapsedTime,
      });
      if ('then' in answer) return answer.then((response) => send(reply, response));
      send(reply, answer);
      return undefined;
    },
  });
};

function send(reply: FastifyReply, response: RawResponse, close = false): FastifyReply {
  reply.code(response.status).headers(response.headers);
  // Closing stops a client that keeps streaming an oversized body; lingering makes sure the client
  // reads this answer before the connection goes.
  if (close) {
    reply.header('connection', 'close');
    lingerOnClose(reply.raw);
  }
  return reply.send(response.body);
}
