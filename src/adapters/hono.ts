/**
 * Hono adapter. Hono speaks the Fetch API, so `toFetchHandler` from `cekit/fetch` serves it too
 * (`(c) => handler(c.req.raw)`); this route handler adds what that cannot do: when a middleware
 * already read the body through Hono (`c.req.text()`, `c.req.json()`, `c.req.arrayBuffer()`), it
 * takes the bytes from Hono's body cache instead of failing on a used stream, and a body consumed
 * behind Hono's back gets `BODY_ALREADY_PARSED`. Hono is only a type here, and the handler itself
 * uses only Fetch API objects.
 *
 * ```ts
 * import { Hono } from 'hono';
 * import { toHonoHandler } from 'cekit/hono';
 * new Hono().post('/clova', toHonoHandler(app));
 * ```
 * @module
 */
import { toEndpoint, type EndpointSource, type RawResponse } from '../core/endpoint.js';
import { resolveLogger, type Logger } from '../core/logger.js';
import { answerFetchRequest, toResponse } from './fetch-request.js';
import { bodyAlreadyParsed, keptBytes } from './raw-body.js';

export type { EndpointSource } from '../core/endpoint.js';

/** The parts of Hono's `Context` the handler uses; Hono's own type fits. */
export interface HonoLikeContext {
  readonly req: {
    readonly raw: Request;
    /** Hono's cache of what was read from the body, keyed by the method that read it. */
    readonly bodyCache: object;
  };
}

/** Options of {@link toHonoHandler}. */
export interface HonoAdapterOptions {
  /** Where the adapter reports a body consumed without a copy. Default: console. */
  logger?: Logger;
  /**
   * Longest the client may take to send the body; a slower body gets `408 REQUEST_TIMEOUT`.
   * Default 10 s. (Headers are the server's to bound: `protectServer` from `cekit/node` for
   * `@hono/node-server`.)
   */
  bodyTimeoutMs?: number;
}

/** A Hono route handler (`app.post(path, handler)` or `app.all(path, handler)`). */
export type HonoHandler = (c: HonoLikeContext) => Promise<Response>;

const FIX =
  'Something read the request body from c.req.raw directly (not through c.req.text()/json()/arrayBuffer(), ' +
  "which Hono caches), so its bytes are gone. Register the cekit route before that middleware, or read the body through Hono's methods.";

/** Serves a CEK endpoint (or an extension) as a Hono route handler. */
export function toHonoHandler(source: EndpointSource, options: HonoAdapterOptions = {}): HonoHandler {
  const endpoint = toEndpoint(source);
  const limit = endpoint.bodyLimit;
  const alreadyParsed = bodyAlreadyParsed(resolveLogger(options.logger), FIX);

  return async (c) => {
    const receivedAt = performance.now();
    const { raw } = c.req;
    // Hono types the cache as Partial<Body>, but stores the promise each body method returned.
    const bodyCache = c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer>; text?: Promise<string> };
    let answer: RawResponse;
    if (raw.bodyUsed) {
      // The stream is used; Hono keeps the bytes (arrayBuffer) or the decoded text (text, json()).
      let body: Uint8Array | undefined;
      if (bodyCache.arrayBuffer) body = new Uint8Array(await bodyCache.arrayBuffer);
      else if (bodyCache.text) body = keptBytes(await bodyCache.text);
      answer =
        body === undefined
          ? alreadyParsed()
          : await endpoint.handle({ method: raw.method, headers: raw.headers, body, receivedAt });
    } else {
      answer = await answerFetchRequest(endpoint, raw, limit, receivedAt, options.bodyTimeoutMs);
    }
    return toResponse(answer);
  };
}
