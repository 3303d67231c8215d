/**
 * Web-standard adapter: `(Request) => Promise<Response>` for Hono, Bun, Deno, Cloudflare Workers
 * and anything else that speaks the Fetch API.
 * @module cekit/fetch
 */
import { toEndpoint, type Endpoint, type EndpointSource } from '../core/endpoint.js';
import { answerFetchRequest, toResponse } from './fetch-request.js';

/** A Fetch API request handler, as Hono, Bun, Deno and Workers expect. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Options of {@link toFetchHandler}. */
export interface FetchAdapterOptions {
  /**
   * Longest the client may take to send the body; a slower body gets `408 REQUEST_TIMEOUT`.
   * Default 10 s. (Headers are the runtime's to bound.)
   */
  bodyTimeoutMs?: number;
}

/**
 * Wraps an endpoint (or an extension) as a Fetch API handler. The body is read as bytes, never as
 * text, so the signature is checked over exactly what was sent; reading stops at the body limit.
 */
export function toFetchHandler(source: EndpointSource, options: FetchAdapterOptions = {}): FetchHandler {
  const endpoint: Endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  const timeout = options.bodyTimeoutMs;
  return async (request) =>
    toResponse(await answerFetchRequest(endpoint, request, limit, performance.now(), timeout));
}
